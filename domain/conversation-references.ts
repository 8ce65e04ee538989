import type { Platform } from './people.js';

/**
 * Where a chat edge keeps the conversation references it needs for proactive messages (Teams:
 * captured at install). A narrow type in a neutral place, so the chat ports and the bots depend
 * on it and not on store/ (docs/architecture.md, "Layers"); the records store implements it.
 */
export interface ConversationReferences {
  saveConversationReference(
    platform: Platform,
    key: string,
    reference: Record<string, unknown>,
  ): Promise<void>;
  getConversationReference(platform: Platform, key: string): Promise<Record<string, unknown> | null>;
}
