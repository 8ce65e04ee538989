import type { MessageRef } from '../domain/chat-port.js';
import type { Platform } from '../domain/people.js';
import { json } from './sql-text.js';
import type { SqlExecutor } from './sql-client.js';

/** Where each card of a request was posted, so it can be updated in place. */
export interface DeliveriesStore {
  getDelivery(workflowId: string, step: string, destinationKey: string): Promise<MessageRef | null>;
  saveDelivery(workflowId: string, step: string, destinationKey: string, ref: MessageRef): Promise<void>;
  /** All deliveries of a request (to update every card in place). */
  listDeliveries(
    workflowId: string,
  ): Promise<Array<{ step: string; destinationKey: string; ref: MessageRef }>>;
}

/** Teams proactive messaging: the conversation reference captured at install, by key. */
export interface ConversationReferencesStore {
  saveConversationReference(
    platform: Platform,
    key: string,
    reference: Record<string, unknown>,
  ): Promise<void>;
  getConversationReference(platform: Platform, key: string): Promise<Record<string, unknown> | null>;
}

export class SqlDeliveriesStore implements DeliveriesStore {
  constructor(private readonly sql: SqlExecutor) {}

  async getDelivery(workflowId: string, step: string, destinationKey: string): Promise<MessageRef | null> {
    const rows = await this.sql.query<{ platform: Platform; conversation_id: string; message_id: string }>(
      `SELECT platform, conversation_id, message_id FROM chat_deliveries
       WHERE workflow_id = $1 AND step = $2 AND destination_key = $3`,
      [workflowId, step, destinationKey],
    );
    const r = rows[0];
    return r ? { platform: r.platform, conversationId: r.conversation_id, messageId: r.message_id } : null;
  }

  async saveDelivery(
    workflowId: string,
    step: string,
    destinationKey: string,
    ref: MessageRef,
  ): Promise<void> {
    await this.sql.query(
      `INSERT INTO chat_deliveries (workflow_id, step, destination_key, platform, conversation_id, message_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workflow_id, step, destination_key) DO UPDATE SET
         platform = EXCLUDED.platform, conversation_id = EXCLUDED.conversation_id,
         message_id = EXCLUDED.message_id, updated_at = now()`,
      [workflowId, step, destinationKey, ref.platform, ref.conversationId, ref.messageId],
    );
  }

  async listDeliveries(
    workflowId: string,
  ): Promise<Array<{ step: string; destinationKey: string; ref: MessageRef }>> {
    const rows = await this.sql.query<{
      step: string;
      destination_key: string;
      platform: Platform;
      conversation_id: string;
      message_id: string;
    }>(
      `SELECT step, destination_key, platform, conversation_id, message_id FROM chat_deliveries
       WHERE workflow_id = $1 ORDER BY created_at, step, destination_key`,
      [workflowId],
    );
    return rows.map((r) => ({
      step: r.step,
      destinationKey: r.destination_key,
      ref: { platform: r.platform, conversationId: r.conversation_id, messageId: r.message_id },
    }));
  }
}

export class SqlConversationReferencesStore implements ConversationReferencesStore {
  constructor(private readonly sql: SqlExecutor) {}

  async saveConversationReference(
    platform: Platform,
    key: string,
    reference: Record<string, unknown>,
  ): Promise<void> {
    await this.sql.query(
      `INSERT INTO conversation_references (platform, key, reference) VALUES ($1, $2, $3::text::jsonb)
       ON CONFLICT (platform, key) DO UPDATE SET reference = EXCLUDED.reference, updated_at = now()`,
      [platform, key, json(reference)],
    );
  }

  async getConversationReference(platform: Platform, key: string): Promise<Record<string, unknown> | null> {
    const rows = await this.sql.query<{ reference: Record<string, unknown> }>(
      'SELECT reference FROM conversation_references WHERE platform = $1 AND key = $2',
      [platform, key],
    );
    return rows[0]?.reference ?? null;
  }
}
