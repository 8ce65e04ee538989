import { describe, expect, it } from 'vitest';
import { homeView } from '../../../../bots/slack/blocks/home.js';
import { rowsForRole } from '../../../../desk/index.js';
import { identityNote } from '../../../../bots/slack/blocks/identity.js';
import { renderOutbound } from '../../../../bots/slack/blocks/messages.js';
import { requestCard } from '../../../../bots/slack/blocks/request-card.js';
import { actionModal, type ModalActionKind } from '../../../../bots/slack/forms/action-forms.js';
import { bedRequestModal } from '../../../../bots/slack/forms/bed-request-form.js';
import { ACTION_IDS, INPUT_ACTION_ID, MODAL_FOR, VIEW_IDS } from '../../../../bots/slack/ids.js';
import type { RequestView } from '../../../../domain/request-view.js';
import { buttonIds } from '../support/harness.js';
import { testProtocol } from '../support/protocol.js';
import { sampleView } from '../../shared/fixtures.js';

const by = { platform: 'slack' as const, userId: 'U0RESPONDER', displayName: 'Duty SW' };
const now = '2013-02-18T23:55:00Z';

/** Everything a card could be built from at each stage of a request. */
const stages: Array<[string, RequestView]> = [
  ['new', sampleView()],
  ['acknowledged', sampleView({ status: 'acknowledged', acknowledged: { by, at: '2013-02-18T22:00:00Z' } })],
  [
    'question open',
    sampleView({
      status: 'acknowledged',
      acknowledged: { by, at: '2013-02-18T22:00:00Z' },
      questions: [{ id: 'q1', by, at: '2013-02-18T22:05:00Z', question: 'Any medication?' }],
    }),
  ],
  [
    'bed offered',
    sampleView({
      status: 'bed_offered',
      acknowledged: { by, at: '2013-02-18T22:00:00Z' },
      offer: {
        by,
        at: '2013-02-18T22:30:00Z',
        accommodation: 'non_secure',
        provider: 'Oak House',
        transport: 'la_collects',
        notes: '',
      },
    }),
  ],
  [
    'declined',
    sampleView({
      status: 'declined',
      acknowledged: { by, at: '2013-02-18T22:00:00Z' },
      declines: [
        { by, at: '2013-02-18T22:40:00Z', reason: 'no_non_secure_placement', notes: 'none tonight' },
      ],
    }),
  ],
  [
    'stayed',
    sampleView({
      status: 'resolved',
      outcome: {
        code: 'detained_no_bed_non_secure',
        at: '2013-02-19T01:00:00Z',
        by: { platform: 'slack', userId: 'U0SERGEANT' },
        stayReason: 'no_accommodation_provided',
        certificate: 'CERTIFICATE UNDER SECTION 38(6) … case CN-7K3F9Q',
      },
    }),
  ],
];

/** What the child's identity might look like; none of it may reach a card. */
const PII = [/Jamie/i, /Testchild/i, /13\/123456A/, /2009-03-01/, /burglary/i];

describe('request card', () => {
  it.each(stages)('carries no personal data (%s)', (_stage, view) => {
    for (const audience of ['responder', 'custody'] as const) {
      const json = JSON.stringify(requestCard(view, audience));
      for (const p of PII) expect(json).not.toMatch(p);
    }
  });

  it('shows only the buttons that make sense now, so stale ones disappear', () => {
    const ids = (i: number, audience: 'responder' | 'custody') =>
      buttonIds(requestCard((stages[i] as [string, RequestView])[1], audience).blocks);
    expect(ids(0, 'responder')).toEqual([
      ACTION_IDS.acknowledge,
      ACTION_IDS.offerBed,
      ACTION_IDS.decline,
      ACTION_IDS.requestInfo,
      ACTION_IDS.viewDetails,
    ]);
    expect(ids(1, 'responder')).not.toContain(ACTION_IDS.acknowledge);
    expect(ids(3, 'responder')).toEqual([ACTION_IDS.requestInfo, ACTION_IDS.viewDetails]);
    expect(ids(5, 'responder')).toEqual([]);
    // Confirm transfer before any offer: a transfer arranged by phone (docs/legal-rules.md).
    expect(ids(0, 'custody')).toEqual([
      ACTION_IDS.confirmTransfer,
      ACTION_IDS.recordStay,
      ACTION_IDS.amendCourtSitting,
      ACTION_IDS.cancel,
    ]);
    expect(ids(2, 'custody')).toEqual([
      ACTION_IDS.answerInfo,
      ACTION_IDS.confirmTransfer,
      ACTION_IDS.recordStay,
      ACTION_IDS.amendCourtSitting,
      ACTION_IDS.cancel,
    ]);
    expect(ids(3, 'custody')).toEqual([
      ACTION_IDS.confirmTransfer,
      ACTION_IDS.recordStay,
      ACTION_IDS.amendCourtSitting,
      ACTION_IDS.cancel,
    ]);
    expect(ids(5, 'custody')).toEqual([]);
  });

  it('puts the workflow ID in every button value, and the certificate on the custody card only', () => {
    const card = requestCard(sampleView(), 'responder');
    const values = (card.blocks as Array<{ elements?: Array<{ value?: string }> }>).flatMap(
      (b) => b.elements ?? [],
    );
    for (const v of values.filter((e) => e.value !== undefined))
      expect(v.value).toBe(sampleView().workflowId);
    const stayed = (stages[5] as [string, RequestView])[1];
    expect(JSON.stringify(requestCard(stayed, 'custody'))).toContain('CERTIFICATE');
    expect(JSON.stringify(requestCard(stayed, 'responder'))).not.toContain('CERTIFICATE');
  });

  it('shows times in Europe/London with the date, warnings, and the out-of-area flag', () => {
    const card = JSON.stringify(
      requestCard(
        sampleView({
          chargedAt: '2024-07-01T21:40:00Z',
          outOfArea: true,
          age: 12,
          accommodation: 'secure',
          warnings: ['secure_under_13_needs_secretary_of_state'],
        }),
        'responder',
      ),
    );
    expect(card).toContain('Mon 1 Jul 2024, 22:40');
    expect(card).toContain('Out of area');
    expect(card).toContain('Secretary of State');
  });

  it('keeps within Slack limits: header ≤150, ≤10 fields per section, ≤50 blocks', () => {
    const card = requestCard(sampleView({ custodySuiteName: 'x'.repeat(300) }), 'custody');
    const header = card.blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    for (const b of card.blocks as Array<{ fields?: unknown[] }>)
      expect((b.fields ?? []).length).toBeLessThanOrEqual(10);
    expect(card.blocks.length).toBeLessThanOrEqual(50);
  });

  it('escapes mrkdwn control characters from free text', () => {
    const v = (stages[3] as [string, RequestView])[1];
    const card = JSON.stringify(
      requestCard({ ...v, offer: { ...v.offer!, provider: '<!channel> & co' } }, 'custody'),
    );
    expect(card).toContain('&lt;!channel&gt; &amp; co');
    expect(card).not.toContain('<!channel>');
  });
});

describe('other messages', () => {
  it('renders notes, pages, repeat alerts and digests without personal data', () => {
    const view = (stages[2] as [string, RequestView])[1];
    const note = renderOutbound({
      kind: 'event_note',
      view,
      event: { type: 'question_asked', questionId: 'q1' },
    });
    expect(note.text).toContain('Any medication?');
    expect(buttonIds(note.blocks)).toEqual([ACTION_IDS.answerInfo]);
    const page = renderOutbound({
      kind: 'escalation_page',
      view: {
        request: view,
        level: 2,
        stepName: 'Custody inspector',
        reason: 'no_bed_offered',
        minutesOpen: 61,
      },
    });
    expect(page.text).toMatch(/Escalation level 2 .* no bed offered after 1h 1m/);
    const repeat = renderOutbound({
      kind: 'repeat_alert',
      view: {
        childRef: 'P-3F9A',
        windowDays: 365,
        detentions: [
          {
            custodyRecordNumber: 'NC-1',
            custodySuiteName: 'Northampton',
            localAuthorityName: 'West',
            chargedAt: '2013-02-18T21:40:00Z',
            outcome: 'detained_no_bed_non_secure',
            caseRef: 'CN-1',
          },
          {
            custodyRecordNumber: 'NC-2',
            custodySuiteName: 'Northampton',
            localAuthorityName: 'West',
            chargedAt: '2013-02-25T21:40:00Z',
            outcome: 'detained_no_bed_non_secure',
            caseRef: 'CN-2',
          },
        ],
      },
    });
    expect(repeat.text).toMatch(/P-3F9A .* 2 times in 365 days/);
    const digest = renderOutbound({
      kind: 'digest',
      view: { title: 'Daily digest', sections: [{ heading: 'Open', lines: [] }] },
    });
    expect(JSON.stringify(digest.blocks)).toContain('_none_');
    for (const m of [note, page, repeat, digest])
      for (const p of PII) expect(JSON.stringify(m)).not.toMatch(p);
  });

  it('shows identity only in the ephemeral identity note, and says when it was purged', () => {
    const note = identityNote('CN-1', 'NC-1', {
      pncId: '13/123456A',
      givenName: 'Jamie',
      familyName: 'Testchild',
      dateOfBirth: '2009-03-01',
    });
    expect(JSON.stringify(note.blocks)).toContain('Jamie Testchild');
    expect(note.text).not.toContain('Jamie');
    expect(identityNote('CN-1', 'NC-1', null).text).toMatch(/purged/);
  });

  it('adds the case details a responder needs to place the child, in the same private note', () => {
    const note = identityNote(
      'CN-1',
      'NC-1',
      { pncId: '13/123456A' },
      {
        bailRefusalGround: 'own_protection',
        needsAndRisks: 'Asthma inhaler; <b>self-harm</b> risk',
        seriousHarmJustification: 'Threats with a knife',
      },
    );
    const blocks = JSON.stringify(note.blocks);
    expect(blocks).toContain('For the child’s own protection');
    expect(blocks).toContain('Asthma inhaler; &lt;b&gt;self-harm&lt;/b&gt; risk');
    expect(blocks).toContain('Threats with a knife');
    expect(note.text).not.toContain('Asthma');
  });
});

describe('modals', () => {
  it('builds the request form from the protocol, with block IDs equal to field names', () => {
    const m = bedRequestModal(testProtocol(), { channel: 'C1' });
    expect(m.callback_id).toBe(VIEW_IDS.bedRequest);
    expect(JSON.parse(m.private_metadata ?? '{}')).toEqual({ channel: 'C1' });
    const inputs = m.blocks.filter((b) => b.type === 'input') as Array<{
      block_id: string;
      element: { action_id: string; type: string };
    }>;
    expect(inputs.map((b) => b.block_id)).toEqual([
      'custodyRecordNumber',
      'custodySuiteId',
      'child.pncId',
      'child.givenName',
      'child.familyName',
      'child.dateOfBirth',
      'age',
      'homeLocalAuthorityId',
      'chargedAt',
      'bailRefusalGround',
      'nextCourtSitting',
      'accommodation',
      'seriousHarmJustification',
      'needsAndRisks',
      // Optional codes for the aggregate figures only (docs/demographics.md).
      'ethnicity',
      'sex',
    ]);
    for (const b of inputs) expect(b.element.action_id).toBe(INPUT_ACTION_ID);
    expect(inputs.find((b) => b.block_id === 'chargedAt')?.element.type).toBe('datetimepicker');
    expect(m.title.text.length).toBeLessThanOrEqual(24);
  });

  const kinds: ModalActionKind[] = [
    'offer_bed',
    'decline',
    'request_info',
    'answer_info',
    'confirm_transfer',
    'record_stay',
    'cancel',
  ];
  it.each(kinds)(
    'builds the %s modal from the view, carrying the workflow ID and no personal data',
    (kind) => {
      const view = (stages[3] as [string, RequestView])[1];
      const withQuestion = { ...view, questions: [{ id: 'q1', by, at: now, question: 'Any medication?' }] };
      const m = actionModal(kind, withQuestion, { channel: 'C0EDT' }, now);
      expect(m.callback_id).toBe(MODAL_FOR[kind]);
      const meta = JSON.parse(m.private_metadata ?? '{}') as Record<string, string>;
      expect(meta).toMatchObject({ workflowId: view.workflowId, channel: 'C0EDT' });
      if (kind === 'answer_info') expect(meta.questionId).toBe('q1');
      for (const p of PII) expect(JSON.stringify(m)).not.toMatch(p);
      expect(m.title.text.length).toBeLessThanOrEqual(24);
      expect(m.submit?.text.length).toBeLessThanOrEqual(24);
    },
  );

  it('shows the time left to court on the transfer modal, and offers "no secure bed" only for a secure request at 12+', () => {
    const view = (stages[3] as [string, RequestView])[1];
    expect(JSON.stringify(actionModal('confirm_transfer', view, {}, '2013-02-18T23:55:00Z'))).toContain(
      '10h 5m left until the court sitting',
    );
    expect(JSON.stringify(actionModal('record_stay', view, {}, now))).not.toContain(
      'no_secure_bed_serious_harm',
    );
    const secure = { ...view, accommodation: 'secure' as const, age: 14 };
    expect(JSON.stringify(actionModal('record_stay', secure, {}, now))).toContain(
      'no_secure_bed_serious_harm',
    );
    expect(JSON.stringify(actionModal('offer_bed', view, {}, now))).not.toContain('"secure"');
  });

  it('lets the sergeant choose when several questions are open', () => {
    const view = sampleView({
      questions: [
        { id: 'q1', by, at: now, question: 'First?' },
        { id: 'q2', by, at: now, question: 'Second?' },
      ],
    });
    const m = actionModal('answer_info', view, {}, now);
    expect(m.blocks.some((b) => b.type === 'input' && b.block_id === 'questionId')).toBe(true);
    expect(JSON.parse(m.private_metadata ?? '{}')).not.toHaveProperty('questionId');
  });
});

describe('App Home', () => {
  const protocol = testProtocol();
  const row = (id: string, la: string, officer = 'U0SERGEANT') => ({
    workflowId: id,
    caseRef: `CN-${id}`,
    custodyRecordNumber: `NC-${id}`,
    custodySuiteId: 'northampton-cjc',
    localAuthorityId: la,
    requestedAt: '2013-02-18T21:45:00Z',
    requestingOfficer: { platform: 'slack' as const, userId: officer },
  });
  const rows = [
    row('1', 'west-northamptonshire'),
    row('2', 'milton-keynes'),
    row('3', 'milton-keynes', 'U0OTHER'),
  ];
  const grants = (userId: string) => {
    const p = protocol.people.find((x) => x.slack === userId);
    return (p?.roles ?? []).map((role) => ({
      role,
      localAuthorityIds: role === 'responder' ? (p?.localAuthorities ?? []) : [],
    }));
  };

  it('shows each role its own requests', () => {
    expect(rowsForRole(rows, grants('U0RESPONDER'), 'U0RESPONDER').map((r) => r.workflowId)).toEqual(['1']);
    expect(rowsForRole(rows, grants('U0MKRESP'), 'U0MKRESP').map((r) => r.workflowId)).toEqual(['2', '3']);
    expect(rowsForRole(rows, grants('U0SERGEANT'), 'U0SERGEANT').map((r) => r.workflowId)).toEqual([
      '1',
      '2',
    ]);
    expect(rowsForRole(rows, grants('U0LEAD'), 'U0LEAD')).toHaveLength(3);
    expect(rowsForRole(rows, [], 'U0NOBODY')).toHaveLength(0);
  });

  it('renders status and age from the view, or the age alone when the engine did not answer', () => {
    const home = homeView({
      userId: 'U0RESPONDER',
      grants: grants('U0RESPONDER'),
      rows: [
        { row: row('1', 'west-northamptonshire'), view: sampleView() },
        { row: row('2', 'west-northamptonshire'), view: null },
      ],
      nowIso: now,
    });
    const json = JSON.stringify(home);
    expect(home.type).toBe('home');
    expect(json).toContain('Waiting for the duty team to acknowledge · open for 2h 10m');
    expect(json).toContain('CN-2');
  });
});
