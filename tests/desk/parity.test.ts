// Parity: for every role × request state (× audience, × secure or not), the Slack card and the
// Teams card offer the same actions with the same labels, and their forms the same choices. Both
// are walked from the real Block Kit and Adaptive Card builders; one offering what the other does
// not fails here (docs/architecture.md, "The request desk").
import { describe, expect, it } from 'vitest';
import { actionModal, type ModalActionKind } from '../../bots/slack/forms/action-forms.js';
import { requestCard as slackCard } from '../../bots/slack/blocks/request-card.js';
import { walkCard, type AdaptiveCard } from '../../bots/teams/cards/adaptive-card.js';
import { requestCard as teamsCard } from '../../bots/teams/cards/request-card.js';
import { INPUTS } from '../../bots/teams/cards/verbs.js';
import type { RoleGrant } from '../../domain/people.js';
import { applyAction } from '../../domain/request-rules.js';
import type { RequestView } from '../../domain/request-view.js';
import { viewsAtEveryStage } from '../bots/teams/support/views.js';

const NOW = '2013-02-18T23:00:00Z';
const ZONE = 'Europe/London';

function roles(view: RequestView): Record<string, RoleGrant[] | undefined> {
  return {
    'anyone in the channel': undefined,
    custody: [{ role: 'custody', localAuthorityIds: [] }],
    'responder for the authority': [{ role: 'responder', localAuthorityIds: [view.localAuthorityId] }],
    'responder for another authority': [{ role: 'responder', localAuthorityIds: ['elsewhere'] }],
    admin: [{ role: 'admin', localAuthorityIds: [] }],
    lead: [{ role: 'lead', localAuthorityIds: [] }],
    escalation: [{ role: 'escalation', localAuthorityIds: [] }],
    'nobody in the protocol': [],
  };
}

function states(): Array<[string, RequestView]> {
  const out: Array<[string, RequestView]> = [];
  for (const [name, view] of Object.entries(viewsAtEveryStage())) {
    out.push([`${name}, non-secure`, view]);
    out.push([`${name}, secure age 15`, { ...view, accommodation: 'secure', age: 15 }]);
    out.push([`${name}, secure asked at age 11`, { ...view, accommodation: 'secure', age: 11 }]);
  }
  return out;
}

function slackLabels(
  view: RequestView,
  audience: 'responder' | 'custody' | 'inspector',
  grants?: RoleGrant[],
): string[] {
  const blocks = slackCard(view, audience, ZONE, grants).blocks as Array<{
    type: string;
    elements?: Array<{ type: string; text?: { text: string } }>;
  }>;
  return blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.type === 'button')
    .map((e) => e.text?.text ?? '');
}

function teamsLabels(
  view: RequestView,
  audience: 'responder' | 'custody' | 'inspector',
  grants?: RoleGrant[],
): string[] {
  const card = teamsCard(view, { audience, nowIso: NOW, zone: ZONE, ...(grants ? { grants } : {}) });
  return (card.actions ?? []).map((a) => a.title);
}

/** Slack cuts option text at 75 characters: compare labels as Slack can show them. */
const shown = (label: string) => label.replace(/…$/, '').slice(0, 74);

/** The options of one Slack modal input (by block ID), as "value: label". */
function slackOptions(kind: ModalActionKind, view: RequestView, blockId: string): string[] {
  const modal = actionModal(kind, view, {}, NOW, ZONE) as unknown as {
    blocks: Array<{
      block_id?: string;
      element?: { options?: Array<{ value: string; text: { text: string } }> };
    }>;
  };
  const block = modal.blocks.find((b) => b.block_id === blockId);
  return (block?.element?.options ?? []).map((o) => `${o.value}: ${shown(o.text.text)}`);
}

/** The choices of one Teams input (by input ID), wherever on the card it is, as "value: label". */
function teamsOptions(card: AdaptiveCard, inputId: string): string[] {
  const input = walkCard(card).find((x) => 'id' in x && x.id === inputId) as
    { choices?: Array<{ title: string; value: string }> } | undefined;
  return (input?.choices ?? []).map((c) => `${c.value}: ${shown(c.title)}`);
}

const labelsOf = (options: string[]) => options.map((o) => o.replace(/^[^:]*: /, ''));

describe('Slack and Teams offer the same actions', () => {
  for (const [state, view] of states()) {
    for (const [role, grants] of Object.entries(roles(view))) {
      for (const audience of ['responder', 'custody'] as const) {
        it(`${audience} card, ${state}, ${role}`, () => {
          expect(teamsLabels(view, audience, grants)).toEqual(slackLabels(view, audience, grants));
        });
      }
    }
  }

  it('is not vacuous: some states offer actions on both', () => {
    const view = viewsAtEveryStage().new!;
    expect(slackLabels(view, 'responder')).toEqual([
      'Acknowledge',
      'Offer bed',
      'Decline',
      'Need info',
      'View details',
    ]);
    // Confirm transfer is offered before any offer in chat: a transfer arranged by phone.
    expect(slackLabels(view, 'custody')).toEqual([
      'Confirm transfer',
      'Child stays',
      'Amend court sitting',
      'Cancel request',
    ]);
  });
});

describe('Slack and Teams forms offer the same choices', () => {
  const forms: Array<[ModalActionKind, string, string, 'responder' | 'custody']> = [
    ['decline', 'reason', INPUTS.declineReason, 'responder'],
    ['offer_bed', 'accommodation', INPUTS.offerAccommodation, 'responder'],
    ['record_stay', 'reason', INPUTS.stayReason, 'custody'],
    ['cancel', 'reason', INPUTS.cancelReason, 'custody'],
  ];
  for (const [state, view] of states().filter(([, v]) => !v.outcome && !v.offer)) {
    for (const [kind, slackBlock, teamsInput, audience] of forms) {
      it(`${kind}, ${state}`, () => {
        const card = teamsCard(view, { audience, nowIso: NOW, zone: ZONE });
        const slack = slackOptions(kind, view, slackBlock);
        expect(slack.length).toBeGreaterThan(0);
        expect(teamsOptions(card, teamsInput)).toEqual(slack);
      });
    }
  }

  it('never offers "No secure bed available" as a decline of a non-secure request, on either', () => {
    const view = viewsAtEveryStage().new!;
    expect(view.accommodation).toBe('non_secure');
    const card = teamsCard(view, { audience: 'responder', nowIso: NOW, zone: ZONE });
    expect(labelsOf(teamsOptions(card, INPUTS.declineReason))).not.toContain('No secure bed available');
    expect(labelsOf(slackOptions('decline', view, 'reason'))).not.toContain('No secure bed available');
    const secure = { ...view, accommodation: 'secure' as const };
    const secureCard = teamsCard(secure, { audience: 'responder', nowIso: NOW, zone: ZONE });
    expect(labelsOf(teamsOptions(secureCard, INPUTS.declineReason))).toContain('No secure bed available');
  });
});

describe('Slack and Teams offer the same actions on the inspector’s card (countersignature)', () => {
  const sergeant = { platform: 'slack' as const, userId: 'U0SERGEANT', displayName: 'Sgt Example' };
  const inspector = { platform: 'slack' as const, userId: 'U0INSP', displayName: 'Insp. Grey' };
  const stay = {
    actionId: 'parity-stay',
    actor: sergeant,
    action: {
      kind: 'record_stay' as const,
      reason: 'impracticable_medical' as const,
      explanation: 'Taken to A&E with a head injury; still being treated',
    },
  };
  const open = viewsAtEveryStage().new!;
  const awaiting = applyAction(open, stay, NOW, { stayContinues: true, countersignRequired: true });
  const signed = applyAction(
    awaiting,
    { actionId: 'parity-countersign', actor: inspector, action: { kind: 'countersign' } },
    NOW,
  );
  const grantsFor: Record<string, RoleGrant[] | undefined> = {
    'anyone in the chat': undefined,
    inspector: [{ role: 'inspector', localAuthorityIds: [] }],
    custody: [{ role: 'custody', localAuthorityIds: [] }],
  };
  for (const [state, view] of Object.entries({
    awaiting,
    countersigned: signed,
    'not asked': applyAction(open, stay, NOW, { stayContinues: true }),
  })) {
    for (const [role, grants] of Object.entries(grantsFor)) {
      it(`inspector card, ${state}, ${role}`, () => {
        expect(teamsLabels(view, 'inspector', grants)).toEqual(slackLabels(view, 'inspector', grants));
      });
    }
  }

  it('is not vacuous: Countersign while awaiting, for an inspector', () => {
    expect(slackLabels(awaiting, 'inspector', grantsFor.inspector)).toEqual(['Countersign']);
    expect(slackLabels(signed, 'inspector', grantsFor.inspector)).toEqual([]);
  });
});
