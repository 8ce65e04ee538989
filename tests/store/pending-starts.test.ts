import { afterAll, beforeAll, expect, it } from 'vitest';
import { bedRequestWorkflowId } from '../../domain/bed-request.js';
import type { Store } from '../../store/open-store.js';
import { SqlPendingStartsStore } from '../../store/pending-starts.js';
import { testSecrets, describeEachBackend } from './helpers.js';
import { bedRequest } from '../support/workflow-harness.js';

let seq = 0;
function queuedRequest() {
  seq += 1;
  const input = bedRequest({
    custodyRecordNumber: `PS-${process.pid}-${seq}`,
    child: { givenName: 'Jordanna', familyName: 'Quillfeather', dateOfBirth: '1997-11-03' },
  });
  return { input, workflowId: bedRequestWorkflowId(input.custodySuiteId, input.custodyRecordNumber) };
}

describeEachBackend('pending starts outbox on $name', (backend) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  const raw = async (workflowId: string) =>
    (
      await store.sql.query<Record<string, unknown>>('SELECT * FROM pending_starts WHERE workflow_id = $1', [
        workflowId,
      ])
    )[0];

  it('keeps one encrypted row per workflow ID, and the first submit time wins', async () => {
    const { input, workflowId } = queuedRequest();
    const first = await store.pendingStarts.enqueue({
      workflowId,
      input,
      requestedAt: '2013-02-18T21:55:00Z',
    });
    expect(first).toEqual({ outcome: 'queued', requestedAt: '2013-02-18T21:55:00.000Z' });
    const again = await store.pendingStarts.enqueue({
      workflowId,
      input,
      requestedAt: '2013-02-18T22:10:00Z',
    });
    expect(again).toEqual({ outcome: 'already_queued', requestedAt: '2013-02-18T21:55:00.000Z' });
    const rows = await store.sql.query('SELECT 1 FROM pending_starts WHERE workflow_id = $1', [workflowId]);
    expect(rows).toHaveLength(1);
    // No personal field in clear anywhere in the row.
    const row = JSON.stringify(await raw(workflowId));
    expect(row).not.toMatch(/Jordanna|Quillfeather|1997-11-03/);
    expect(String((await raw(workflowId))?.input_enc)).toMatch(/^v1:/);
  });

  it('lists waiting requests decrypted, oldest submit first', async () => {
    const a = queuedRequest();
    const b = queuedRequest();
    await store.pendingStarts.enqueue({ ...b, requestedAt: '2013-02-18T20:00:02Z' });
    await store.pendingStarts.enqueue({ ...a, requestedAt: '2013-02-18T20:00:01Z' });
    const listed = (await store.pendingStarts.listQueued()).filter((p) =>
      [a.workflowId, b.workflowId].includes(p.workflowId),
    );
    expect(listed.map((p) => p.workflowId)).toEqual([a.workflowId, b.workflowId]);
    expect(listed[0]).toMatchObject({ input: a.input, requestedAt: '2013-02-18T20:00:01.000Z', attempts: 0 });
  });

  it('counts failures, then deletes the payload once started and lists it no more', async () => {
    const { input, workflowId } = queuedRequest();
    await store.pendingStarts.enqueue({ workflowId, input, requestedAt: '2013-02-18T21:55:00Z' });
    await store.pendingStarts.recordFailure(
      workflowId,
      'ServiceError: 14 UNAVAILABLE',
      '2013-02-18T21:55:05Z',
    );
    await store.pendingStarts.recordFailure(
      workflowId,
      'ServiceError: 14 UNAVAILABLE',
      '2013-02-18T21:55:10Z',
    );
    expect(await store.pendingStarts.status(workflowId)).toMatchObject({
      state: 'queued',
      attempts: 2,
      lastError: 'ServiceError: 14 UNAVAILABLE',
      holdsPayload: true,
    });
    await store.pendingStarts.markStarted(workflowId, '2013-02-18T21:56:00Z');
    expect(await store.pendingStarts.status(workflowId)).toMatchObject({
      state: 'started',
      attempts: 3,
      startedAt: '2013-02-18T21:56:00.000Z',
      requestedAt: '2013-02-18T21:55:00.000Z',
      holdsPayload: false,
    });
    expect((await raw(workflowId))?.input_enc).toBeNull();
    expect((await store.pendingStarts.listQueued()).map((p) => p.workflowId)).not.toContain(workflowId);
    // A later submit of a started record is not queued again: Temporal has it.
    const later = await store.pendingStarts.enqueue({
      workflowId,
      input,
      requestedAt: '2013-02-18T23:00:00Z',
    });
    expect(later.outcome).toBe('already_started');
    expect((await raw(workflowId))?.input_enc).toBeNull();
  });

  it('writes one row when two submits race', async () => {
    const { input, workflowId } = queuedRequest();
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        store.pendingStarts.enqueue({ workflowId, input, requestedAt: '2013-02-18T21:55:00Z' }),
      ),
    );
    expect(results.filter((r) => r.outcome === 'queued')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'already_queued')).toHaveLength(2);
  });

  it('skips a payload that does not decrypt (another data key, or moved to another row), naming why', async () => {
    await store.sql.query('DELETE FROM pending_starts');
    const { input, workflowId } = queuedRequest();
    await store.pendingStarts.enqueue({ workflowId, input, requestedAt: '2013-02-18T21:55:00Z' });
    const stranger = new SqlPendingStartsStore(store.sql, testSecrets().dataKey);
    expect(await stranger.listQueued()).toEqual([]);
    expect((await store.pendingStarts.status(workflowId))?.lastError).toMatch(
      /unreadable: .*did not authenticate/,
    );
    const other = queuedRequest();
    await store.pendingStarts.enqueue({ ...other, requestedAt: '2013-02-18T21:55:01Z' });
    const moved = queuedRequest();
    await store.pendingStarts.enqueue({ ...moved, requestedAt: '2013-02-18T21:55:02Z' });
    await store.sql.query(
      'UPDATE pending_starts SET input_enc = (SELECT input_enc FROM pending_starts WHERE workflow_id = $1) WHERE workflow_id = $2',
      [other.workflowId, moved.workflowId],
    );
    expect((await store.pendingStarts.listQueued()).map((p) => p.workflowId)).toEqual([
      workflowId,
      other.workflowId,
    ]);
    expect((await store.pendingStarts.status(moved.workflowId))?.lastError).toMatch(/unreadable/);
    await store.sql.query('DELETE FROM pending_starts');
  });
});
