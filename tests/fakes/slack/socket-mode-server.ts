import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A fake Socket Mode server: the URL `apps.connections.open` hands out. It greets each connection
 * with `hello`, sends envelopes the way Slack does, and resolves each send with the ack payload the
 * app returns (or rejects when no ack arrives in time).
 */
export interface FakeSocketMode {
  readonly url: string;
  /** Resolves once an app is connected and greeted. */
  connected(timeoutMs?: number): Promise<void>;
  /** Sends an envelope; resolves with the ack's payload (`{}` for a bare ack). */
  send(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: Record<string, unknown>,
    opts?: { envelopeId?: string; ackTimeoutMs?: number },
  ): Promise<Record<string, unknown>>;
  /** Every ack received, in order. */
  readonly acks: Array<{ envelope_id: string; payload?: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const { port } = wss.address() as AddressInfo;
  const acks: FakeSocketMode['acks'] = [];
  const pending = new Map<string, (payload: Record<string, unknown>) => void>();
  let socket: WebSocket | undefined;
  let greeted: () => void = () => {};
  let ready = new Promise<void>((resolve) => (greeted = resolve));
  let seq = 0;

  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data: Buffer) => {
      let msg: { envelope_id?: string; payload?: Record<string, unknown> };
      try {
        msg = JSON.parse(data.toString('utf8')) as typeof msg;
      } catch {
        return;
      }
      if (!msg.envelope_id) return;
      acks.push({ envelope_id: msg.envelope_id, ...(msg.payload ? { payload: msg.payload } : {}) });
      pending.get(msg.envelope_id)?.(msg.payload ?? {});
      pending.delete(msg.envelope_id);
    });
    const ping = setInterval(() => ws.ping(), 2000);
    ws.on('close', () => {
      clearInterval(ping);
      if (socket === ws) {
        socket = undefined;
        ready = new Promise<void>((resolve) => (greeted = resolve));
      }
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake', approximate_connection_time: 3600 },
        connection_info: { app_id: 'A0FAKE' },
      }),
    );
    greeted();
  });

  return {
    url: `ws://127.0.0.1:${port}/link`,
    acks,
    async connected(timeoutMs = 10_000) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        ready,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('No Socket Mode connection')), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
    },
    send(type, payload, opts = {}) {
      const ws = socket;
      if (!ws) return Promise.reject(new Error('No Socket Mode connection'));
      seq += 1;
      const envelopeId = opts.envelopeId ?? `env-${seq}-${Date.now()}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(envelopeId);
          reject(new Error(`No ack for envelope ${envelopeId}`));
        }, opts.ackTimeoutMs ?? 5000);
        pending.set(envelopeId, (p) => {
          clearTimeout(timer);
          resolve(p);
        });
        ws.send(
          JSON.stringify({
            envelope_id: envelopeId,
            type,
            payload,
            accepts_response_payload: type !== 'events_api',
            ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
          }),
        );
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
