import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Protocol } from '../../domain/protocol.js';
import { startSandboxStack } from './support/stack.js';

/**
 * The whole journey in a browser, through the real bots, driven by visible labels only: the
 * sergeant's form with an inline error first, the card in the EDT channel, a wrong person's click
 * refused, the EDT acknowledging and offering a bed, an escalation page on time, the transfer
 * confirmed and every card in its final state. Once as Slack, once as Teams, in Debian's
 * chromium (CHROMIUM_PATH, default /usr/bin/chromium; .ci/run installs it).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DOCS = join(import.meta.dirname, '..', '..', 'docs');
/** The compressed ladder's one step in this test: the inspector is paged 25 s after the request. */
const PAGE_AFTER_MS = 25_000;

type Stack = Awaited<ReturnType<typeof startSandboxStack>>;
let stack: Stack;
let browser: Browser;
const started = Date.now();
const timings: Record<string, number> = {};

const withQuickLadder = (p: Protocol): Protocol => ({
  ...p,
  ladder: {
    steps: [
      {
        level: 2,
        name: 'Custody inspector',
        condition: 'not_resolved',
        after: PAGE_AFTER_MS,
        from: 'request',
        notify: ['custody-inspector'],
        maxRepeats: 1,
      },
    ],
  },
});

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: apt-get install -y chromium`);
  [stack, browser] = await Promise.all([
    startSandboxStack({ edit: withQuickLadder }),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  process.stdout.write(
    `sandbox journey timings (s): ${JSON.stringify(timings)}; total ${(Date.now() - started) / 1000}\n`,
  );
});

const pad = (n: number) => String(n).padStart(2, '0');
const local = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const hhmm = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;

async function openPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(15_000);
  await page.goto(stack.sandbox.url);
  await page.getByLabel('Act as').locator('option').first().waitFor({ state: 'attached' });
  return page;
}

const actAs = (page: Page, label: string) => page.getByLabel('Act as').selectOption({ label });
const openPlace = (page: Page, name: string | RegExp) =>
  page.getByRole('navigation').getByRole('button', { name }).click();
const say = async (page: Page, text: string) => {
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
};
/** A screenshot for docs/ with this card in view (retried while an update re-renders it). */
async function shoot(page: Page, of: Locator, file: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await of.scrollIntoViewIfNeeded({ timeout: 2_000 });
      break;
    } catch (e) {
      if (i >= 4) throw e;
      await page.waitForTimeout(300);
    }
  }
  await page.screenshot({ path: join(DOCS, file) });
}

/** The opaque case reference a card shows (CN-…), to find this request's own pages. */
async function caseRefOf(l: Locator): Promise<string> {
  const ref = /CN-[A-Z0-9]+/.exec((await l.textContent()) ?? '')?.[0];
  if (!ref) throw new Error('no case reference on the card');
  return ref;
}

/** The message (card) in the conversation that shows this text (and `also`, when given). */
const card = (page: Page, text: string | RegExp, also?: RegExp): Locator => {
  const found = page.locator('#conversation article.msg').filter({ hasText: text });
  return (also ? found.filter({ hasText: also }) : found).last();
};

describe('the training sandbox in a browser', () => {
  it('Slack: form with an inline error, EDT card, refusal, acknowledge, offer, escalation page, transfer', async () => {
    const t0 = Date.now();
    const page = await openPage();
    const record = `NC-SLACK-${Date.now() % 100000}`;
    await page.getByRole('button', { name: 'Slack', exact: true }).click();
    await actAs(page, 'Sgt Example (custody)');
    await openPlace(page, /custody · Northampton/);
    await say(page, '/bedrequest');

    // 1. The form, sent first without the child's PNC ID or name: the error shows against the field.
    const form = page.getByRole('dialog', { name: 'Bed request' });
    await form.getByLabel('Custody record number').fill(record);
    await form.getByLabel('Age at charge').fill('15');
    await form
      .getByLabel('Child’s home local authority')
      .selectOption({ label: 'West Northamptonshire Council' });
    await form
      .getByLabel('Time of charge')
      .fill(`${local(new Date(Date.now() - 20 * 60_000))}T${hhmm(new Date(Date.now() - 20 * 60_000))}`);
    await form.getByLabel('Ground for refusing bail').selectOption({ index: 1 });
    const court = new Date(Date.now() + 86_400_000);
    await form.getByLabel('Next court sitting').fill(`${local(court)}T10:00`);
    await form.getByRole('button', { name: 'Send request' }).click();
    const error = form.getByRole('alert').first();
    await error.waitFor();
    expect(await error.textContent()).toMatch(/PNC|name/i);
    await page.screenshot({ path: join(DOCS, 'sandbox-slack-form-error.png') });
    await form.getByLabel('PNC ID').fill('13/000001T');
    await form.getByRole('button', { name: 'Send request' }).click();
    await form.waitFor({ state: 'detached' });
    const requestedAt = Date.now();

    // 2. The card in the Emergency Duty Team channel (out of hours, by the training office hours).
    await openPlace(page, /Emergency Duty Team/);
    const edtCard = card(page, record);
    await edtCard.getByRole('button', { name: 'Acknowledge' }).waitFor();
    const caseRef = await caseRefOf(edtCard);

    // 3. The sergeant is not a responder: the click is refused, privately.
    await edtCard.getByRole('button', { name: 'Acknowledge' }).click();
    const refusal = page.locator('#conversation .ephemeral').last();
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Only visible to you/);

    // 4. The EDT worker acknowledges and offers a bed.
    await actAs(page, 'EDT worker (responder)');
    await openPlace(page, /Emergency Duty Team/);
    await card(page, record).getByRole('button', { name: 'Acknowledge' }).click();
    await card(page, record, /Acknowledged/)
      .getByRole('button', { name: 'Offer bed' })
      .click();
    const offer = page.getByRole('dialog');
    await offer.getByLabel(/^Provider or placement/).fill('Oak House (training)');
    await offer.getByLabel(/^Transport/).selectOption({ index: 1 });
    await offer.getByRole('button', { name: 'Offer bed' }).click();
    await offer.waitFor({ state: 'detached' });
    await card(page, record, /Oak House/).waitFor();
    await shoot(page, card(page, record, /Oak House/), 'sandbox-slack-edt.png');

    // 5. The escalation page reaches the inspector, when the ladder says.
    await actAs(page, 'Inspector Example (escalation)');
    await openPlace(page, 'Concordat (direct messages)');
    await card(page, new RegExp(`Escalation level 2.*${caseRef}`)).waitFor({
      timeout: PAGE_AFTER_MS + 20_000,
    });
    const pagedAfter = Date.now() - requestedAt;
    expect(pagedAfter).toBeGreaterThanOrEqual(PAGE_AFTER_MS - 2_000);

    // 6. The sergeant confirms the transfer.
    await actAs(page, 'Sgt Example (custody)');
    await openPlace(page, /custody · Northampton/);
    await card(page, record, /Oak House/)
      .getByRole('button', { name: 'Confirm transfer' })
      .click();
    const confirm = page.getByRole('dialog');
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await confirm.waitFor({ state: 'detached' });

    // 7. Every card shows the final state.
    await card(page, record, /Closed/).waitFor();
    await openPlace(page, /Emergency Duty Team/);
    await card(page, record, /Closed/).waitFor();
    await shoot(page, card(page, record, /Closed/), 'sandbox-slack-final.png');
    timings.slack = (Date.now() - t0) / 1000;
    await page.close();
  }, 120_000);
  it('Teams: form with an inline error, EDT card, refusal, acknowledge, offer, escalation page, transfer', async () => {
    const t0 = Date.now();
    const page = await openPage();
    page.on('pageerror', (e) => process.stdout.write(`page error: ${e.message}\n`));
    const record = `NC-TEAMS-${Date.now() % 100000}`;
    await page.getByRole('button', { name: 'Teams', exact: true }).click();
    await actAs(page, 'Sgt Example (custody)');
    await openPlace(page, /custody · Northampton/);
    await say(page, 'bedrequest');

    // 1. The form card, sent first without the child's PNC ID or name: the card says what to fix.
    const form = card(page, 'Bed request: child charged and refused bail');
    await form.getByLabel('Custody record number').fill(record);
    await form
      .getByLabel(/^Custody suite/)
      .selectOption({ label: 'Northampton CJC · TRAINING — not a real child' });
    await form.getByLabel(/^Age/).fill('15');
    await form.getByLabel(/^Home local authority/).selectOption({ label: 'West Northamptonshire Council' });
    const charged = new Date(Date.now() - 20 * 60_000);
    await form.getByLabel(/^Date of charge/).fill(local(charged));
    await form.getByLabel(/^Time of charge/).fill(hhmm(charged));
    await form.getByLabel(/^Ground for refusing bail/).selectOption({ index: 1 });
    await form.getByLabel(/^Date of the next court sitting/).fill(local(new Date(Date.now() + 86_400_000)));
    await form.getByLabel(/^Time of the next court sitting/).fill('10:00');
    await form.getByRole('button', { name: 'Send request' }).click();
    const fix = card(page, /Please correct/);
    await fix.waitFor().catch(async (e: unknown) => {
      await page.screenshot({ path: '/tmp/sandbox-teams-debug.png', fullPage: true });
      throw e;
    });
    expect(await fix.textContent()).toMatch(/PNC|name/i);
    await page.screenshot({ path: join(DOCS, 'sandbox-teams-form-error.png') });
    await fix.getByLabel(/^PNC ID/).fill('13/000002T');
    await fix.getByRole('button', { name: 'Send request' }).click();
    const requestedAt = Date.now();

    // 2. The card in the Emergency Duty Team channel.
    await openPlace(page, /Emergency Duty Team/);
    const edtCard = card(page, record);
    await edtCard.getByRole('button', { name: 'Acknowledge' }).waitFor();
    const caseRef = await caseRefOf(edtCard);

    // 3. The sergeant is not a responder: the press is refused, on the card, to the sergeant only.
    await edtCard.getByRole('button', { name: 'Acknowledge' }).click();
    await card(page, /not set up to do that/).waitFor();

    // 4. The EDT worker acknowledges and offers a bed.
    await actAs(page, 'EDT worker (responder)');
    await openPlace(page, /Emergency Duty Team/);
    await card(page, record).getByRole('button', { name: 'Acknowledge' }).click();
    // The bot answers the press and updates the message for everyone: wait for both.
    await card(page, /by EDT worker/)
      .locator('.edited')
      .waitFor();
    await page.waitForTimeout(500);
    await card(page, record, /Acknowledged/)
      .getByRole('button', { name: 'Offer bed' })
      .click();
    const offer = card(page, record, /Acknowledged/);
    await offer.getByLabel(/^Provider or placement/).fill('Oak House (training)');
    await offer.getByLabel(/^Transport/).selectOption({ index: 1 });
    await offer.getByRole('button', { name: 'Send offer' }).click();
    await card(page, record, /Oak House/).waitFor();
    await shoot(page, card(page, record, /Oak House/), 'sandbox-teams-edt.png');

    // 5. The escalation page reaches the inspector's chat, when the ladder says.
    await actAs(page, 'Inspector Example (escalation)');
    await openPlace(page, 'Concordat (direct messages)');
    await card(page, new RegExp(`Escalation level 2.*${caseRef}`)).waitFor({
      timeout: PAGE_AFTER_MS + 20_000,
    });
    expect(Date.now() - requestedAt).toBeGreaterThanOrEqual(PAGE_AFTER_MS - 2_000);

    // 6. The sergeant confirms the transfer.
    await actAs(page, 'Sgt Example (custody)');
    await openPlace(page, /custody · Northampton/);
    const custody = card(page, record, /Oak House/);
    await custody.getByRole('button', { name: 'Confirm transfer' }).first().click();
    await custody.getByRole('button', { name: 'Confirm transfer' }).last().click();

    // 7. Every card shows the final state.
    await card(page, record, /Closed/).waitFor();
    await openPlace(page, /Emergency Duty Team/);
    await card(page, record, /Closed/).waitFor();
    await shoot(page, card(page, record, /Closed/), 'sandbox-teams-final.png');
    timings.teams = (Date.now() - t0) / 1000;
    await page.close();
  }, 120_000);

  it('a scenario opens the form filled in, and sets what the protocol expects against what happened', async () => {
    const t0 = Date.now();
    const page = await openPage();
    await page.getByRole('button', { name: 'Slack', exact: true }).click();
    await page
      .getByRole('combobox', { name: 'Scenario' })
      .selectOption({ label: 'Friday 23:40: a 15-year-old, the EDT does not answer' });
    await page.getByRole('button', { name: 'Start scenario' }).click();
    const form = page.getByRole('dialog', { name: 'Bed request' });
    expect(await form.getByLabel('Custody record number').inputValue()).toBe('NC-TRAIN-0001');
    expect(await form.getByLabel('Age at charge').inputValue()).toBe('15');
    await form.getByRole('button', { name: 'Send request' }).click();
    await form.waitFor({ state: 'detached' });
    const panel = page.getByRole('complementary', { name: 'Scenario' });
    await panel.getByText(/The card reaches the Emergency Duty Team \(out of hours\) — at/).waitFor();
    expect(await panel.getByText(/the EDT manager is paged — not yet/).count()).toBe(1);
    await page.screenshot({ path: join(DOCS, 'sandbox-scenario.png') });
    timings.scenario = (Date.now() - t0) / 1000;
    await page.close();
  }, 60_000);
});
