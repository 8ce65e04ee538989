import { describe, expect, it } from 'vitest';
import { bedRequestModal, parseBedRequestSubmission } from '../../../../bots/slack/forms/bed-request-form.js';
import { DEMOGRAPHICS_FORM_HINT } from '../../../../domain/demographics.js';
import { el, stateValues } from '../../../fakes/slack/payloads.js';
import { requestForm } from '../support/harness.js';
import { testProtocol } from '../support/protocol.js';

/**
 * The protocol file's `demographics` (docs/demographics.md): on by default with the default hint;
 * `collect: false` leaves the ethnicity and sex fields off the modal and drops any value a crafted
 * submission carries for them; `formHint` replaces the line under each.
 */
const actor = { platform: 'slack' as const, userId: 'U0SERGEANT' };
const blocksOf = (protocol: ReturnType<typeof testProtocol>) =>
  bedRequestModal(protocol, { channel: 'C1' }).blocks as Array<{
    block_id?: string;
    hint?: { text: string };
  }>;

describe('the Slack modal’s ethnicity and sex, as the protocol file says', () => {
  it('by default, both are on the form with the default hint, and a code is taken', () => {
    const protocol = testProtocol();
    const blocks = blocksOf(protocol);
    for (const id of ['ethnicity', 'sex'])
      expect(blocks.find((b) => b.block_id === id)?.hint?.text).toBe(DEMOGRAPHICS_FORM_HINT);
    const r = parseBedRequestSubmission(
      stateValues(requestForm({ ethnicity: el.select('W3'), sex: el.select('1') })),
      actor,
      protocol,
      new Date().toISOString(),
    );
    expect(r.ok && [r.value.ethnicity, r.value.sex]).toEqual(['W3', '1']);
  });

  it('with collect: false, neither is on the form, and a submission carrying them stores neither', () => {
    const protocol = { ...testProtocol(), demographics: { collect: false, formHint: 'x' } };
    const ids = blocksOf(protocol).map((b) => b.block_id);
    expect(ids).toContain('needsAndRisks');
    expect(ids).not.toContain('ethnicity');
    expect(ids).not.toContain('sex');
    const r = parseBedRequestSubmission(
      stateValues(requestForm({ ethnicity: el.select('W3'), sex: el.select('X') })),
      actor,
      protocol,
      new Date().toISOString(),
    );
    expect(r.ok).toBe(true);
    expect(r.ok && [r.value.ethnicity, r.value.sex]).toEqual([undefined, undefined]);
  });

  it('takes the force’s own hint', () => {
    const hint = 'Recorded for equality monitoring under the force’s policy document; never shown on a card.';
    const blocks = blocksOf({ ...testProtocol(), demographics: { collect: true, formHint: hint } });
    expect(blocks.find((b) => b.block_id === 'ethnicity')?.hint?.text).toBe(hint);
  });
});
