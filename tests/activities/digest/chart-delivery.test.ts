/**
 * The trend chart: a real PNG of a sensible size, built from a seeded store's figures, and the
 * digest delivered with it through the real Slack and Teams chat ports to the fake platforms.
 */
import { randomBytes } from 'node:crypto';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackChatPort } from '../../../bots/slack/chat-port.js';
import { createTeamsAdapter } from '../../../bots/teams/adapter.js';
import { createTeamsChatPort } from '../../../bots/teams/chat-port/teams-chat-port.js';
import { CHART_HEIGHT, CHART_WIDTH, renderTrendChart } from '../../../activities/digest/chart.js';
import { createDigestActivities } from '../../../activities/digest/digest-activities.js';
import type { DigestMessageView } from '../../../domain/chat-port.js';
import { computePeriod } from '../../../domain/digest/period.js';
import { buildDigestView } from '../../../domain/digest/view.js';
import { createLogger } from '../../../runtime/logger.js';
import { openStore, type Store } from '../../../store/open-store.js';
import { startFakeSlackWebApi, type FakeSlackWebApi } from '../../fakes/slack/web-api-server.js';
import { FakeBotConnector } from '../../fakes/teams/fake-bot-connector.js';
import { buildSeed, seedStore, testProtocol } from './seed.js';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width, height, bit depth and colour type from the IHDR chunk, which must come first. */
function ihdr(png: Buffer) {
  expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png.readUInt8(24),
    colourType: png.readUInt8(25),
  };
}

/** Every chunk's type in order, checking each CRC-framed length stays inside the file. */
function chunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    types.push(png.subarray(at + 4, at + 8).toString('latin1'));
    at += 12 + length;
  }
  expect(at).toBe(png.length);
  return types;
}

const protocol = testProtocol();
const slackLeads = { platform: 'slack' as const, address: 'C0LEADS' };
const teamsLeads = { platform: 'teams' as const, address: '19:leads@thread.tacv2' };
let store: Store;
let view: DigestMessageView;
let png: Buffer;

beforeAll(async () => {
  store = await openStore({
    dataDir: 'memory://',
    secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
  });
  await seedStore(store, buildSeed(200, 3));
  const { renderDigestChart, gatherDigestFigures } = createDigestActivities({
    store,
    chat: { send: () => Promise.reject(new Error('unused')), notifyPerson: () => Promise.resolve() },
    protocol,
  });
  const period = computePeriod({
    kind: 'range',
    now: 0,
    timeZone: 'Europe/London',
    from: '2026-01-01',
    to: '2026-06-30',
  });
  const figures = await gatherDigestFigures({ period });
  const chart = await renderDigestChart({
    trend: figures.trend,
    suppress: false,
    title: 'Bed requests and outcomes',
    period: figures.period,
    generatedAt: figures.generatedAt,
  });
  view = buildDigestView(figures, { forceName: protocol.force.name, suppressSmallCounts: false, chart });
  png = Buffer.from(chart.pngBase64, 'base64');
}, 120_000);

afterAll(async () => {
  await store?.close();
});

describe('the trend chart', () => {
  it('is a real PNG, 1000×560, of a sensible size', () => {
    expect(ihdr(png)).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT, bitDepth: 8 });
    expect([CHART_WIDTH, CHART_HEIGHT]).toEqual([1000, 560]);
    const types = chunkTypes(png);
    expect(types[0]).toBe('IHDR');
    expect(types).toContain('IDAT');
    expect(types.at(-1)).toBe('IEND');
    expect(png.length).toBeGreaterThan(10_000); // a drawn chart, not a blank
    expect(png.length).toBeLessThan(400_000);
    expect(view.chart?.filename).toBe('requests-and-outcomes-per-week.png');
    expect(view.chart?.altText).toMatch(
      /^Bed requests, transfers to local authority accommodation and detentions in police custody after charge \(a child held twice counts twice\), per week, from 2025-12-29 to 2026-07-05 \(27 weeks\)\. \d+ detentions in all; .* \d+ transfers in all;/,
    );
  });

  it('has an opaque white background, not a transparent one (dark-mode clients)', async () => {
    const image = await loadImage(png);
    const canvas = createCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0);
    for (const [x, y] of [
      [0, 0],
      [CHART_WIDTH - 1, 0],
      [0, CHART_HEIGHT - 1],
    ] as const) {
      expect([...ctx.getImageData(x, y, 1, 1).data]).toEqual([255, 255, 255, 255]);
    }
    // And it is not blank: the held-after-charge bars are drawn in their red.
    const pixels = ctx.getImageData(0, 0, CHART_WIDTH, CHART_HEIGHT).data;
    let red = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i] === 0xb4 && pixels[i + 1] === 0x23 && pixels[i + 2] === 0x18) red += 1;
    }
    expect(red).toBeGreaterThan(1000);
  });
});

describe('the trend chart with suppression on', () => {
  const weeks = Array.from({ length: 13 }, (_, i) => ({
    weekStart: new Date(Date.UTC(2025, 7, 4 + 7 * i)).toISOString().slice(0, 10),
    requests: 9 + (i % 5),
    detained: 1 + (i % 4),
    transferred: 5 + (i % 3),
  }));

  it('draws months, not weeks, and still draws bars', async () => {
    const chart = renderTrendChart({ trend: weeks, suppress: true, title: 'Bed requests and outcomes' });
    expect(ihdr(chart.png)).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(chart.png.length).toBeGreaterThan(10_000);
    expect(chart.png.length).toBeLessThan(400_000);
    expect(chart.filename).toBe('requests-and-outcomes-per-month.png');
    expect(chart.altText).toMatch(/per month, from 2025-08-04 to 2025-11-02 \(3 months\)/);
    // Weekly, every held bar would be 1–4 and vanish; by month the held bars are drawn.
    const image = await loadImage(chart.png);
    const canvas = createCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0);
    const pixels = ctx.getImageData(0, 0, CHART_WIDTH, CHART_HEIGHT).data;
    let red = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i] === 0xb4 && pixels[i + 1] === 0x23 && pixels[i + 2] === 0x18) red += 1;
    }
    expect(red).toBeGreaterThan(1000);
  });
});

describe('delivered through the chat ports to the fake platforms', () => {
  let slackApi: FakeSlackWebApi;
  let connector: FakeBotConnector;

  beforeAll(async () => {
    slackApi = await startFakeSlackWebApi();
    connector = await new FakeBotConnector().start();
    await store.saveConversationReference('teams', teamsLeads.address, {
      serviceUrl: connector.serviceUrl,
      channelId: 'msteams',
      bot: { id: '28:concordat-bot', name: 'Concordat' },
      conversation: {
        id: teamsLeads.address,
        conversationType: 'channel',
        isGroup: true,
        tenantId: 'tenant-1',
      },
    });
  });
  afterAll(async () => {
    await slackApi?.close();
    await connector?.stop();
  });

  function sendDigest(
    chat: Parameters<typeof createDigestActivities>[0]['chat'],
    destination: typeof slackLeads | typeof teamsLeads,
  ) {
    const { sendDigest } = createDigestActivities({ store, chat, protocol });
    return sendDigest({
      digestId: `digest-chart-${destination.platform}`,
      destination,
      view,
      period: { kind: 'range', from: '2026-01-01T00:00:00.000Z', to: '2026-06-30T23:00:00.000Z' },
    });
  }

  it('Slack: the text is posted, then the PNG is uploaded to the same channel, once', async () => {
    const log = createLogger({ level: 'silent' });
    const slack = createSlackChatPort({ token: 'xoxb-test', apiUrl: slackApi.url, log });
    const first = await sendDigest(slack, slackLeads);
    expect(first.alreadySent).toBe(false);
    const post = slackApi.okCallsTo('chat.postMessage')[0];
    expect(String(post?.args.text)).toContain(view.title);
    const upload = slackApi.okCallsTo('files.getUploadURLExternal');
    expect(upload).toHaveLength(1);
    expect(upload[0]?.args).toMatchObject({ filename: 'requests-and-outcomes-per-week.png' });
    expect(Number(upload[0]?.args.length)).toBe(png.length);
    const bytes = slackApi.calls.find((c) => c.method.startsWith('upload/'))?.args.bytes;
    expect(Number(bytes)).toBeGreaterThanOrEqual(png.length * 0.9); // multipart body around the PNG
    expect(slackApi.okCallsTo('files.completeUploadExternal')[0]?.args).toMatchObject({
      channel_id: 'C0LEADS',
    });
    // A retried activity finds the stored delivery and posts nothing more.
    const again = await sendDigest(slack, slackLeads);
    expect(again).toEqual({ ref: first.ref, alreadySent: true });
    expect(slackApi.okCallsTo('chat.postMessage')).toHaveLength(1);
    expect(slackApi.okCallsTo('files.getUploadURLExternal')).toHaveLength(1);
  });

  it('Teams: the digest card is posted proactively to the leads channel, with every section', async () => {
    const teams = createTeamsChatPort({
      adapter: createTeamsAdapter({ auth: { mode: 'emulator' } }),
      store,
      log: createLogger({ level: 'silent' }),
    });
    const sent = await sendDigest(teams, teamsLeads);
    expect(sent.ref).toMatchObject({ platform: 'teams', conversationId: teamsLeads.address });
    const posted = connector.postsIn(teamsLeads.address);
    // The card, then the chart as a picture message of its own (too large to inline in a card).
    expect(posted).toHaveLength(2);
    const card = JSON.stringify(FakeBotConnector.cardOf(posted[0]!));
    expect(card).toContain(view.title);
    for (const section of view.sections) expect(card).toContain(section.heading);
    expect(card).toContain(view.chart!.altText);
  });

  // A 1000×500 chart is 40–90 KB of base64, over what a Teams card can inline, so it follows the
  // card as an image attachment with the PNG as a data URL.
  it('Teams: the chart itself arrives as an image (data URL), once', async () => {
    const picture = connector.postsIn(teamsLeads.address)[1]!;
    const activity = JSON.stringify(picture.activity);
    expect(activity).toContain(`data:image/png;base64,${view.chart!.pngBase64.slice(0, 64)}`);
    expect(activity).toContain('image/png');
    // A retried activity finds the stored delivery and sends neither again.
    const teams = createTeamsChatPort({
      adapter: createTeamsAdapter({ auth: { mode: 'emulator' } }),
      store,
      log: createLogger({ level: 'silent' }),
    });
    expect((await sendDigest(teams, teamsLeads)).alreadySent).toBe(true);
    expect(connector.postsIn(teamsLeads.address)).toHaveLength(2);
  });
});
