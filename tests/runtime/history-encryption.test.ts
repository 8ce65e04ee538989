// Child identities must never appear in clear in Temporal history (and so the Temporal UI): the
// worker and every client use the AES-256-GCM payload codec. This reads the history back through
// a client WITHOUT the codec, as the Temporal UI or an operator would see it.
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { DefaultPayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { createBedRequestClient } from '../../runtime/bed-request-client.js';
import { EncryptionCodec } from '../../runtime/payload-codec.js';
import { dataConverterFor } from '../../runtime/temporal-connection.js';
import { openStore, type Store } from '../../store/index.js';
import { RecordingChatPort } from '../support/recording-chat-port.js';
import { createTestEnv } from '../support/temporal.js';
import { bedRequest, eventually, PEOPLE, testProtocol, workflowBundle } from '../support/workflow-harness.js';

const { temporal } = proto;
const TASK_QUEUE = 'history-encryption';
const secrets = {
  givenName: 'Jamiesson',
  familyName: 'Quennell-Ashdown',
  pncId: '13/987654Z',
  // Fifteen and a half at charge (the request is charged now): distinctive, and valid for age 15.
  dateOfBirth: new Date(Date.now() - 15.5 * 365.25 * 86_400_000).toISOString().slice(0, 10),
};

describe('payload encryption in workflow history', () => {
  let env: TestWorkflowEnvironment;
  let store: Store;
  let worker: Worker;
  let running: Promise<void>;
  const codec = new EncryptionCodec(randomBytes(32));

  beforeAll(async () => {
    [env, store] = await Promise.all([
      createTestEnv(),
      openStore({
        dataDir: 'memory://',
        secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
      }),
    ]);
    const protocol = testProtocol();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ chat: new RecordingChatPort(), store, protocol: () => protocol }),
      dataConverter: dataConverterFor(codec),
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await env?.teardown();
    await store?.close();
  });

  it('keeps the identity out of the raw history, and readable only with the key', async () => {
    const withCodec = new Client({ connection: env.connection, dataConverter: dataConverterFor(codec) });
    const raw = new Client({ connection: env.connection });
    // Times are taken from the server's own clock (real time: this client does not skip time), so
    // the first ladder step lies an hour ahead and nothing but the cancel can close the request.
    // A 2013 request would have a night of overdue steps racing the cancel under CI load.
    const now = Date.now();
    const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    const requests = createBedRequestClient(withCodec, { taskQueue: TASK_QUEUE });
    const request = bedRequest({
      custodyRecordNumber: 'ENC-0001',
      child: secrets,
      age: 15,
      chargedAt: at(-5),
      nextCourtSitting: at(12 * 60),
    });
    const { workflowId } = await requests.start(request, at(0));
    await eventually(() => requests.view(workflowId), 30_000);
    await requests.act(workflowId, {
      actionId: 'enc-cancel',
      actor: PEOPLE.sergeant,
      action: { kind: 'cancel', reason: 'entered_in_error', notes: '' },
    });
    await eventually(
      async () => (await raw.workflow.getHandle(workflowId).describe()).status.name !== 'RUNNING',
      30_000,
    );

    const history = await raw.workflow.getHandle(workflowId).fetchHistory();
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    expect(history.events?.length ?? 0).toBeGreaterThan(5);
    for (const value of Object.values(secrets)) expect(bytes).not.toContain(value);
    expect(bytes).toContain('binary/encrypted');

    // Positive control: the identity is in there, encrypted; the key recovers it.
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const [payload] = await codec.decode(started?.input?.payloads ?? []);
    const input = new DefaultPayloadConverter().fromPayload<{ request: { child: typeof secrets } }>(payload!);
    expect(input.request.child).toMatchObject(secrets);
  });
});
