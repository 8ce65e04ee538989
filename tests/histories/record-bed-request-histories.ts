// Records real histories of bedRequestWorkflow for the replay test (tests/workflows/bed-request/
// replay.test.ts). Run it after a deliberate, patched() change to the workflow, and commit the JSON:
//
//   npx tsx tests/histories/record-bed-request-histories.ts [--suffix NAME]
//
// With --suffix the files are saved as bed-request-<case>-<NAME>.json beside the older ones, so the
// histories of every workflow version still running in production keep replaying.
//
// It runs the workflow on the time-skipping test server with the real worker and activities, on
// the seed's first night (Monday 18 February 2013): EDT acknowledges, asks a question, declines;
// a refused offer by the sergeant; the ladder and the midnight trigger fire; the sergeant records
// the stay; since the stay is not the end (docs/legal-rules.md), review pages go out while the child
// is held and the sergeant records that the child left for court at 10:00. A second history is the
// continued run of a request that continued as new.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';

const { temporal } = proto;
import { bedRequestWorkflowId } from '../../domain/bed-request.js';
import { bedRequestWorkflow } from '../../workflows/bed-request/bed-request-workflow.js';
import { PEOPLE, actAs, bedRequest, createHarness, eventually, viewWhen } from '../support/workflow-harness.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const suffixAt = process.argv.indexOf('--suffix');
const SUFFIX = suffixAt > 0 ? `-${process.argv[suffixAt + 1] ?? ''}` : '';

async function main(): Promise<void> {
  const h = await createHarness({ startAt: '2013-02-18T21:04:00Z', taskQueue: 'record-histories' });
  try {
    // 1. The seed's first night.
    await h.advanceTo('2013-02-18T21:05:00Z');
    const { workflowId: night } = await h.client.start(
      bedRequest({ custodyRecordNumber: 'NC-1302-0042', child: { pncId: '99/000001Z' } }),
      '2013-02-18T21:05:00Z',
    );
    await eventually(() => h.client.view(night));
    await h.advanceTo('2013-02-18T21:20:00Z');
    await actAs(h, night, PEOPLE.responder, { kind: 'acknowledge' });
    await actAs(h, night, PEOPLE.responder, { kind: 'request_info', question: 'Any known medical needs?' });
    await viewWhen(h, night, (v) => v.questions.length === 1);
    await actAs(h, night, PEOPLE.sergeant, { kind: 'answer_info', questionId: 'q1', answer: 'None known' });
    await actAs(h, night, PEOPLE.sergeant, {
      kind: 'offer_bed',
      accommodation: 'non_secure',
      provider: 'Not a responder',
      transport: 'other',
      notes: '',
    });
    await viewWhen(h, night, (v) => v.questions[0]?.answer !== undefined);
    await h.advanceTo('2013-02-18T22:30:00Z');
    await actAs(h, night, PEOPLE.responder, { kind: 'decline', reason: 'no_non_secure_placement', notes: '' });
    await viewWhen(h, night, (v) => v.status === 'declined');
    await h.advanceTo('2013-02-19T00:30:00Z');
    await actAs(h, night, PEOPLE.sergeant, {
      kind: 'record_stay',
      reason: 'no_accommodation_provided',
      explanation: 'No accommodation was provided by the local authority overnight.',
    });
    await viewWhen(h, night, (v) => v.status === 'held_bed_sought' || v.outcome !== undefined);
    if (!(await h.client.view(night))?.outcome) {
      await h.advanceTo('2013-02-19T10:05:00Z');
      await actAs(h, night, PEOPLE.sergeant, {
        kind: 'record_left_cells',
        leftFor: 'court',
        leftAt: '2013-02-19T10:00:00Z',
      });
    }
    await h.result(night);
    await save(h, night, 'bed-request-seed-night.json');

    // 2. A request that continues as new (threshold set low), then is transferred.
    const request = bedRequest({
      custodyRecordNumber: 'NC-1302-0050',
      child: { pncId: '99/000002Y' },
      chargedAt: '2013-02-19T10:40:00Z',
      nextCourtSitting: '2013-02-20T10:00:00Z',
    });
    const can = bedRequestWorkflowId(request.custodySuiteId, request.custodyRecordNumber);
    const started = await h.temporal.workflow.start(bedRequestWorkflow, {
      taskQueue: h.taskQueue,
      workflowId: can,
      args: [{ request, requestedAt: new Date(await h.nowMs()).toISOString(), continueAsNewAtHistoryLength: 40 }],
    });
    await eventually(() => h.client.view(can));
    await actAs(h, can, PEOPLE.responder, { kind: 'acknowledge' });
    await viewWhen(h, can, (v) => v.status === 'acknowledged');
    await h.advance(65 * 60_000);
    await actAs(h, can, PEOPLE.responder, {
      kind: 'offer_bed',
      accommodation: 'non_secure',
      provider: 'Oakfield House',
      transport: 'la_collects',
      notes: '',
    });
    await viewWhen(h, can, (v) => v.status === 'bed_offered');
    await actAs(h, can, PEOPLE.sergeant, {
      kind: 'confirm_transfer',
      leftCustodyAt: new Date(await h.nowMs()).toISOString(),
    });
    await h.result(can);
    const described = await h.temporal.workflow.getHandle(can).describe();
    if (described.runId === started.firstExecutionRunId) throw new Error('expected a continued run');
    await save(h, can, 'bed-request-continued-run.json');
  } finally {
    await h.teardown();
  }
}

async function save(h: Awaited<ReturnType<typeof createHarness>>, workflowId: string, file: string) {
  const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
  const path = join(HERE, SUFFIX ? file.replace(/\.json$/, `${SUFFIX}.json`) : file);
  // protobufjs' own object form (64-bit numbers and enums as strings, bytes as base64), as the
  // older recordings were saved; the replay test and `concordat replay` read both this and the
  // CLI's proto3 JSON.
  const json = temporal.api.history.v1.History.toObject(history as proto.temporal.api.history.v1.History, {
    longs: String,
    enums: String,
    bytes: String,
  });
  await writeFile(path, `${JSON.stringify(json, null, 1)}\n`);
  console.log(`${path}: ${history.events?.length ?? 0} events`);
}

await main();
