// The request desk's own law and input checks (issue 11, items 5 and 6), behind both bots: a start
// with impossible times, or a stay whose explanation Note 16D rules out, is refused and audited
// by the desk, and nothing is sent to Temporal.
import { describe, expect, it } from 'vitest';
import { createDesk } from '../../desk/index.js';
import type { BedRequests, DeskStore } from '../../desk/desk-ports.js';
import { FailureCode } from '../../domain/failures.js';
import type { RequestView } from '../../domain/request-view.js';
import { createLogger } from '../../runtime/logger.js';
import type { AuditEvent } from '../../store/records-store.js';
import { openView, SERGEANT } from '../domain/view-fixture.js';
import { bedRequest, testProtocol } from '../support/workflow-harness.js';

function deskWith(view: RequestView | null, nowIso: string) {
  const starts: unknown[] = [];
  const signals: unknown[] = [];
  const audit: AuditEvent[] = [];
  const bedRequests: BedRequests = {
    start: (input) => {
      starts.push(input);
      return Promise.resolve({ status: 'started', workflowId: 'bed-request:X:Y' });
    },
    act: (_id, envelope) => {
      signals.push(envelope);
      return Promise.resolve();
    },
    view: () => Promise.resolve(view),
  };
  const store: DeskStore = {
    getRequest: () => Promise.resolve(null),
    getIdentity: () => Promise.resolve(null),
    logAccess: () => Promise.resolve(),
    listOpenRequests: () => Promise.resolve([]),
    appendEvent: (e) => {
      audit.push(e);
      return Promise.resolve();
    },
  };
  const protocol = testProtocol();
  const desk = createDesk({
    protocol,
    bedRequests,
    store,
    log: createLogger({ level: 'silent' }),
    now: () => new Date(nowIso),
  });
  return { desk, starts, signals, audit };
}

describe('the desk checks the times and ages again before it starts anything (item 6)', () => {
  it('refuses a charge two hours ahead, with the problems by field, audits it, and starts nothing', async () => {
    const { desk, starts, audit } = deskWith(null, '2013-02-18T19:00:00Z');
    const r = await desk.start(SERGEANT, bedRequest(), { requestId: 'form-1' });
    expect(r).toMatchObject({
      status: 'refused',
      refusal: { code: FailureCode.InvalidInput, params: { field: 'chargedAt' } },
    });
    if (r.status === 'refused') expect(r.problems?.chargedAt).toMatch(/in the future/);
    expect(starts).toEqual([]);
    expect(audit.map((e) => e.data)).toEqual([
      { kind: 'start_request', code: FailureCode.InvalidInput, source: 'desk', fields: ['chargedAt'] },
    ]);
  });

  it('starts a good night', async () => {
    const { desk, starts } = deskWith(null, '2013-02-18T21:30:00Z');
    expect((await desk.start(SERGEANT, bedRequest(), { requestId: 'form-2' })).status).toBe('started');
    expect(starts).toHaveLength(1);
  });
});

describe('the desk screens a stay’s explanation (item 5)', () => {
  const stay = (explanation: string) => ({
    actionId: `stay-${explanation.length}`,
    actor: SERGEANT,
    action: { kind: 'record_stay' as const, reason: 'impracticable_other' as const, explanation },
  });

  it('refuses the lack of a secure bed for a non-secure request, audits it, and sends nothing', async () => {
    const { desk, signals, audit } = deskWith(openView(), '2013-02-18T22:00:00Z');
    const r = await desk.act(openView().workflowId, stay('No secure bed available in the region'));
    expect(r).toMatchObject({
      status: 'refused',
      refusal: { code: FailureCode.StayExplanationNote16D, params: { ground: 'no_secure_bed' } },
    });
    expect(signals).toEqual([]);
    expect(audit.map((e) => e.data)).toEqual([
      { kind: 'record_stay', code: FailureCode.StayExplanationNote16D, source: 'desk' },
    ]);
  });

  it('sends a lawful explanation', async () => {
    const { desk, signals } = deskWith(openView(), '2013-02-18T22:00:00Z');
    const r = await desk.act(openView().workflowId, stay('Snow closed the A45 and the M1 from 21:30'));
    expect(r.status).toBe('sent');
    expect(signals).toHaveLength(1);
  });
});
