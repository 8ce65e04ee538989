import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { escalationPage, repeatAlert, privateNote } from '../../bots/slack/blocks/messages.js';
import { homeView } from '../../bots/slack/blocks/home.js';
import { requestCard as slackRequestCard } from '../../bots/slack/blocks/request-card.js';
import { stuckRequestPage } from '../../bots/slack/blocks/stuck-request.js';
import { actionModal, type ModalActionKind } from '../../bots/slack/forms/action-forms.js';
import { bedRequestModal } from '../../bots/slack/forms/bed-request-form.js';
import { walkCard, type AdaptiveCard } from '../../bots/teams/cards/adaptive-card.js';
import { escalationPageCard } from '../../bots/teams/cards/escalation-page-card.js';
import { noticeCard } from '../../bots/teams/cards/notice-card.js';
import { repeatAlertCard } from '../../bots/teams/cards/repeat-alert-card.js';
import { requestCard as teamsRequestCard } from '../../bots/teams/cards/request-card.js';
import { requestFormCard } from '../../bots/teams/cards/request-form-card.js';
import { stuckRequestCard } from '../../bots/teams/cards/stuck-request-card.js';
import type { CardAudience } from '../../domain/available-actions.js';
import type { EscalationPageView, RepeatAlertView } from '../../domain/request-view.js';
import { StuckReason, type StuckRequestView } from '../../domain/watchdog.js';
import { loadProtocolFile } from '../../runtime/config.js';
import { TRAINING_CONFIG } from '../../sandbox/index.js';
import { viewsAtEveryStage } from '../bots/teams/support/views.js';

/**
 * Every block type and element type the bots' builders can emit has a renderer on the sandbox
 * page: the builders are run for every view in the fixtures (each stage of a request, both
 * audiences, every modal, the form, App Home, pages, alerts), their outputs walked, and each type
 * found must be one the page renders (Block Kit, sandbox/page/block-kit.ts) or one Microsoft's
 * `adaptivecards` renderer knows (Teams, checked in chromium against its registry, and every card
 * rendered there without an error).
 */
const NOW = '2013-02-18T23:30:00.000Z';
const ZONE = 'Europe/London';
const AUDIENCES: CardAudience[] = ['custody', 'responder'];
const MODAL_KINDS: ModalActionKind[] = [
  'offer_bed',
  'decline',
  'request_info',
  'answer_info',
  'confirm_transfer',
  'record_stay',
  'record_left_cells',
  'cancel',
];
const protocol = loadProtocolFile(TRAINING_CONFIG);
const views = Object.values(viewsAtEveryStage());
const page = (request: (typeof views)[number]): EscalationPageView => ({
  request,
  level: 2,
  stepName: 'Custody inspector',
  reason: 'no_bed_offered',
  minutesOpen: 75,
});
const first = views[0];
if (!first) throw new Error('no fixture views');
const alert: RepeatAlertView = {
  childRef: 'C-1A2B3C',
  windowDays: 365,
  detentions: [
    {
      custodyRecordNumber: 'NC-1',
      custodySuiteName: 'Northampton CJC',
      localAuthorityName: 'West Northamptonshire Council',
      chargedAt: '2013-02-11T21:00:00.000Z',
      outcome: 'detained_no_bed_non_secure',
      caseRef: 'CN-AAAAAA',
    },
  ],
};

const stuck: StuckRequestView = {
  workflowId: first.workflowId,
  caseRef: first.caseRef,
  custodySuiteName: first.custodySuiteName,
  custodyRecordNumber: first.custodyRecordNumber,
  reason: StuckReason.WorkflowTaskFailing,
  since: NOW,
  detectedAt: NOW,
  attempts: 3,
};

/** The few parts of the adaptivecards global (its UMD build) this test calls in the browser. */
interface AdaptiveCardsGlobal {
  GlobalRegistry: {
    elements: { findByName(name: string): unknown };
    actions: { findByName(name: string): unknown };
  };
  AdaptiveCard: new () => { parse(json: unknown, context: unknown): void; render(): unknown };
  SerializationContext: new () => {
    eventCount: number;
    getEventAt(i: number): { phase?: number; message?: string };
  };
}

// Slack

type Json = Record<string, unknown>;

function slackSurfaces(): Array<{ what: string; blocks: unknown[] }> {
  const out: Array<{ what: string; blocks: unknown[] }> = [];
  for (const [i, view] of views.entries()) {
    for (const audience of AUDIENCES) {
      out.push({ what: `card ${i} ${audience}`, blocks: slackRequestCard(view, audience, ZONE).blocks });
    }
    for (const kind of MODAL_KINDS) {
      out.push({ what: `modal ${kind} ${i}`, blocks: actionModal(kind, view, {}, NOW, ZONE).blocks });
    }
    out.push({ what: `page ${i}`, blocks: escalationPage(page(view)).blocks });
  }
  out.push({ what: 'form', blocks: bedRequestModal(protocol, {}).blocks });
  out.push({ what: 'repeat alert', blocks: repeatAlert(alert, ZONE).blocks });
  out.push({ what: 'private note', blocks: privateNote('Only you').blocks });
  out.push({
    what: 'home',
    blocks: homeView({
      userId: 'U0SERGEANT',
      grants: [{ role: 'custody', localAuthorityIds: [] }],
      rows: views.map((view) => ({
        view,
        row: {
          workflowId: view.workflowId,
          caseRef: view.caseRef,
          custodyRecordNumber: view.custodyRecordNumber,
          custodySuiteId: view.custodySuiteId,
          localAuthorityId: view.localAuthorityId,
          requestedAt: view.requestedAt,
          requestingOfficer: view.requestingOfficer,
        },
      })),
      nowIso: NOW,
      zone: ZONE,
    }).blocks,
  });
  out.push({ what: 'stuck', blocks: stuckRequestPage(stuck, ZONE).blocks });
  return out;
}

function slackTypes(blocks: unknown[]): { blockTypes: Set<string>; elementTypes: Set<string> } {
  const blockTypes = new Set<string>();
  const elementTypes = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    const o = v as Json;
    if (typeof o.type === 'string') elementTypes.add(o.type);
    for (const child of Object.values(o)) walk(child);
  };
  for (const b of blocks) {
    const block = b as Json;
    if (typeof block.type === 'string') blockTypes.add(block.type);
    for (const [k, child] of Object.entries(block)) if (k !== 'type') walk(child);
  }
  return { blockTypes, elementTypes };
}

describe('the sandbox page renders everything the bots build', () => {
  it('every Block Kit block and element type the Slack builders emit has a renderer', async () => {
    // Imported at run time: the page's code is checked against the DOM types by its own
    // tsconfig (sandbox/page/tsconfig.json), not the server's.
    const url = pathToFileURL(join(import.meta.dirname, '..', '..', 'sandbox', 'page', 'block-kit.ts')).href;
    const kit = (await import(url)) as {
      blockRenderers: Record<string, unknown>;
      elementRenderers: Record<string, unknown>;
    };
    const surfaces = slackSurfaces();
    expect(surfaces.length).toBeGreaterThan(views.length * 10);
    const blocks = new Set<string>();
    const elements = new Set<string>();
    for (const s of surfaces) {
      const t = slackTypes(s.blocks);
      t.blockTypes.forEach((x) => blocks.add(x));
      t.elementTypes.forEach((x) => elements.add(x));
    }
    // The walk saw the kinds that matter, so a broken walk cannot pass by seeing nothing.
    expect([...blocks]).toEqual(expect.arrayContaining(['header', 'section', 'actions', 'input', 'context']));
    expect([...elements]).toEqual(expect.arrayContaining(['button', 'static_select', 'datetimepicker']));
    expect([...blocks].filter((b) => !(b in kit.blockRenderers))).toEqual([]);
    expect([...elements].filter((e) => !(e in kit.elementRenderers))).toEqual([]);
  });

  it('every Adaptive Card element and action type the Teams builders emit is known to the adaptivecards renderer, and every card renders', async () => {
    const cards: Array<{ what: string; card: AdaptiveCard }> = [];
    for (const [i, view] of views.entries()) {
      for (const audience of AUDIENCES) {
        cards.push({
          what: `card ${i} ${audience}`,
          card: teamsRequestCard(view, { audience, nowIso: NOW, zone: ZONE, people: protocol.people }),
        });
      }
      cards.push({ what: `page ${i}`, card: escalationPageCard(page(view), NOW, ZONE) });
    }
    const suites = protocol.custodySuites.map((s) => ({ id: s.id, name: s.name }));
    const las = protocol.localAuthorities.map((l) => ({ id: l.id, name: l.name }));
    cards.push({ what: 'form', card: requestFormCard({ custodySuites: suites, localAuthorities: las }) });
    cards.push({
      what: 'form with errors',
      card: requestFormCard({
        custodySuites: suites,
        localAuthorities: las,
        errors: { 'child.pncId': 'Give the PNC ID', custodyRecordNumber: 'Give it' },
      }),
    });
    cards.push({ what: 'repeat alert', card: repeatAlertCard(alert, ZONE) });
    cards.push({ what: 'notice', card: noticeCard('Nothing was sent', { tone: 'attention', lines: ['x'] }) });
    cards.push({ what: 'stuck', card: stuckRequestCard(stuck, ZONE) });

    const types = new Set<string>();
    for (const c of cards) for (const node of walkCard(c.card)) types.add(node.type);
    expect([...types]).toEqual(
      expect.arrayContaining(['TextBlock', 'Input.Text', 'Action.Execute', 'Action.ShowCard']),
    );

    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(executablePath))
      throw new Error(`No chromium at ${executablePath}: apt-get install -y chromium`);
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    try {
      const tab = await browser.newPage();
      await tab.setContent('<!doctype html><div id="root"></div>');
      const require = createRequire(import.meta.url);
      await tab.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.min.js') });
      const result = await tab.evaluate(
        ({ types, cards }) => {
          const AC = (globalThis as unknown as { AdaptiveCards: AdaptiveCardsGlobal }).AdaptiveCards;
          const unknown = types.filter(
            (t) => !AC.GlobalRegistry.elements.findByName(t) && !AC.GlobalRegistry.actions.findByName(t),
          );
          const failures: string[] = [];
          for (const c of cards) {
            const card = new AC.AdaptiveCard();
            const ctx = new AC.SerializationContext();
            card.parse(c.card, ctx);
            if (!card.render()) failures.push(`${c.what}: nothing rendered`);
            for (let i = 0; i < ctx.eventCount; i++) {
              const e = ctx.getEventAt(i);
              if (e.phase !== undefined && e.message) failures.push(`${c.what}: ${e.message}`);
            }
          }
          return { unknown, failures };
        },
        { types: [...types], cards: cards.map((c) => ({ what: c.what, card: c.card as unknown as Json })) },
      );
      expect(result.unknown).toEqual([]);
      expect(result.failures).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
