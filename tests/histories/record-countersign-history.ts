// Records a real history of bedRequestWorkflow with an inspector's countersignature (docs/legal-rules.md,
// "Countersignature by an inspector"; patched: inspector-countersignature) for the replay test
// (tests/workflows/bed-request/replay.test.ts). Run it after a deliberate, patched() change to the
// countersignature path, and commit the JSON:
//
//   npx tsx tests/histories/record-countersign-history.ts
//
// On the time-skipping test server with the real worker and activities, with the example protocol
// asking for countersignature (re-paged every 30 minutes): the sergeant records a stay at 21:30; the
// inspector is paged, and paged again at 22:00; a responder's countersignature is refused; the
// inspector countersigns at 22:10; the child leaves for court at 10:00 the next morning.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import type { Actor } from '../../domain/people.js';
import {
  PEOPLE,
  actAs,
  bedRequest,
  createHarness,
  eventually,
  testProtocol,
  viewWhen,
} from '../support/workflow-harness.js';

const { temporal } = proto;
const HERE = fileURLToPath(new URL('.', import.meta.url));
const INSPECTOR: Actor = { platform: 'slack', userId: 'U0INSP', displayName: 'Insp. Grey' };

async function main(): Promise<void> {
  const protocol = testProtocol((f) => {
    f.certificate = { countersignature: { required: true, pageAfter: '30m' } };
    f.people = [...(f.people ?? []), { name: 'Insp. Grey', slack: INSPECTOR.userId, roles: ['inspector'] }];
  });
  const h = await createHarness({ startAt: '2013-02-18T21:04:00Z', taskQueue: 'record-countersign', protocol });
  try {
    await h.advanceTo('2013-02-18T21:05:00Z');
    const { workflowId } = await h.client.start(
      bedRequest({ custodyRecordNumber: 'NC-1302-0077', child: { pncId: '99/000077Z' } }),
      '2013-02-18T21:05:00Z',
    );
    await eventually(() => h.client.view(workflowId));
    await h.advanceTo('2013-02-18T21:30:00Z');
    await actAs(h, workflowId, PEOPLE.sergeant, {
      kind: 'record_stay',
      reason: 'impracticable_medical',
      explanation: 'Taken to A&E at 21:10 with a head injury; still being treated',
    });
    await viewWhen(h, workflowId, (v) => v.stay?.countersignature?.pagedAt.length === 1);
    await h.advanceTo('2013-02-18T22:01:00Z');
    await viewWhen(h, workflowId, (v) => v.stay?.countersignature?.pagedAt.length === 2);
    await actAs(h, workflowId, PEOPLE.responder, { kind: 'countersign' });
    await h.advanceTo('2013-02-18T22:10:00Z');
    await actAs(h, workflowId, INSPECTOR, { kind: 'countersign' });
    await viewWhen(h, workflowId, (v) => v.stay?.countersignature?.status === 'countersigned');
    await h.advanceTo('2013-02-19T10:01:00Z');
    await actAs(h, workflowId, PEOPLE.sergeant, {
      kind: 'record_left_cells',
      leftFor: 'court',
      leftAt: '2013-02-19T10:00:00Z',
    });
    await h.result(workflowId);
    const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
    const json = temporal.api.history.v1.History.toObject(history as proto.temporal.api.history.v1.History, {
      longs: String,
      enums: String,
      bytes: String,
    });
    const path = join(HERE, 'bed-request-countersigned-night.json');
    await writeFile(path, `${JSON.stringify(json, null, 1)}\n`);
    console.log(`${path}: ${history.events?.length ?? 0} events`);
  } finally {
    await h.teardown();
  }
}

await main();
