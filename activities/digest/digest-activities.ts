import { ApplicationFailure } from '@temporalio/common';
import type { ChatPort, Destination, DigestMessageView, MessageRef } from '../../domain/chat-port.js';
import type { DigestFigures, TrendPoint } from '../../domain/digest/figures.js';
import type { DigestPeriod } from '../../domain/digest/period.js';
import { FailureCode } from '../../domain/failures.js';
import type { Actor } from '../../domain/people.js';
import type { Protocol } from '../../domain/protocol.js';
import type { RecordsStore } from '../../store/records-store.js';
import type { SqlClient } from '../../store/sql-client.js';
import { renderTrendChart } from './chart.js';
import { gatherDigestFigures } from './gather-figures.js';

/** The delivery step name under which each digest message is recorded per destination. */
export const DIGEST_STEP = 'digest';

export function destinationKey(d: Destination): string {
  return `${d.platform}:${d.address}`;
}

interface MinimalLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface DigestActivityDeps {
  /** The records store; digests read it through its SQL layer (SqlRecordsStore has `sql`). */
  store: RecordsStore & { sql: SqlClient };
  chat: ChatPort;
  protocol: Protocol;
  clock?: () => Date;
  log?: MinimalLog;
}

/** What the digest workflow needs from the configuration, read when it runs (not when scheduled). */
export interface DigestSettings {
  forceName: string;
  timeZone: string;
  suppressSmallCounts: boolean;
  leads: Destination[];
}

export interface SendDigestInput {
  /** The digest workflow's ID: with the destination, the idempotency key of the delivery. */
  digestId: string;
  destination: Destination;
  view: DigestMessageView;
  period: Pick<DigestPeriod, 'kind' | 'from' | 'to'>;
  requestedBy?: Actor;
}

/**
 * Activities of the digest workflow. Register them on the worker beside the bed-request ones:
 * `activities: { ...createBedRequestActivities(deps), ...createDigestActivities(deps) }`.
 */
export function createDigestActivities(deps: DigestActivityDeps) {
  const clock = deps.clock ?? (() => new Date());
  const log: MinimalLog = deps.log ?? { info: () => undefined, warn: () => undefined };

  return {
    digestSettings: (): Promise<DigestSettings> => {
      const p = deps.protocol;
      return Promise.resolve({
        forceName: p.force.name,
        timeZone: p.force.timeZone,
        suppressSmallCounts: p.digest.suppressSmallCounts,
        leads: p.leads,
      });
    },

    gatherDigestFigures: async (input: { period: DigestPeriod }): Promise<DigestFigures> => {
      const started = Date.now();
      const figures = await gatherDigestFigures(
        deps.store.sql,
        deps.protocol,
        input.period,
        clock().toISOString(),
      );
      log.info(
        {
          kind: input.period.kind,
          from: input.period.from,
          to: input.period.to,
          requests: figures.total.requests,
          ms: Date.now() - started,
        },
        'digest figures gathered',
      );
      return figures;
    },

    renderDigestChart: (input: {
      trend: TrendPoint[];
      suppress: boolean;
      title: string;
      /** The digest's period (shaded on the chart) and when it was made (an unfinished last bar). */
      period?: DigestPeriod;
      generatedAt?: string;
    }): Promise<NonNullable<DigestMessageView['chart']>> => {
      const { png: _png, ...chart } = renderTrendChart(input);
      return Promise.resolve(chart);
    },

    /**
     * Posts the digest to one destination, once: the platform reference is stored under
     * (digest workflow, 'digest', destination), so a retried activity or a replayed workflow
     * finds it and posts nothing more. The delivery is written to the audit log.
     */
    sendDigest: async (input: SendDigestInput): Promise<{ ref: MessageRef; alreadySent: boolean }> => {
      const key = destinationKey(input.destination);
      const existing = await deps.store.getDelivery(input.digestId, DIGEST_STEP, key);
      if (existing) return { ref: existing, alreadySent: true };
      let ref: MessageRef;
      try {
        ref = await deps.chat.send(input.destination, { kind: 'digest', view: input.view });
      } catch (err) {
        if (err instanceof ApplicationFailure) throw err;
        throw ApplicationFailure.create({
          message: `Sending the digest to ${key} failed: ${(err as Error).message}`,
          type: FailureCode.ChatUnavailable,
          cause: err as Error,
        });
      }
      await deps.store.saveDelivery(input.digestId, DIGEST_STEP, key, ref);
      await deps.store.appendEvent({
        eventId: `digest_sent:${input.digestId}:${key}`,
        workflowId: input.digestId,
        type: 'digest_sent',
        ...(input.requestedBy ? { actor: input.requestedBy } : {}),
        at: clock().toISOString(),
        data: {
          kind: input.period.kind,
          from: input.period.from,
          to: input.period.to,
          platform: input.destination.platform,
          address: input.destination.address,
          withChart: input.view.chart !== undefined,
        },
      });
      log.info({ digestId: input.digestId, destination: key }, 'digest sent');
      return { ref, alreadySent: false };
    },
  };
}

export type DigestActivities = ReturnType<typeof createDigestActivities>;
