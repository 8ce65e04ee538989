// The bots' one tie to runtime/: parsing a raw environment, until callers pass parsed settings.
import { parseTeamsSettings } from '../../runtime/env.js';

/**
 * The Teams bot's secrets and settings, parsed from the environment at start-up by the one
 * schema in runtime/env.ts and handed to createTeamsBot and createTeamsChatPort.
 *
 * - `MICROSOFT_APP_ID`, `MICROSOFT_APP_PASSWORD`, `MICROSOFT_APP_TENANT_ID`, `MICROSOFT_APP_TYPE`
 *   (`MultiTenant` | `SingleTenant` | `UserAssignedMSI`): the Azure Bot registration. The type
 *   defaults to SingleTenant when a tenant ID is set, else MultiTenant.
 * - With none of the four set, the bot runs in local emulator mode: no Bot Framework token is
 *   checked on `/api/messages` and none is sent to the connector. Only for a laptop.
 * - `TEAMS_PORT` (default 3978, the Bot Framework convention) and `TEAMS_HOST` (default 0.0.0.0 with
 *   an app ID; 127.0.0.1 in emulator mode, so an unauthenticated endpoint is not exposed by accident).
 * - `TEAMS_OPENID_METADATA_URL`: the OpenID metadata of the inbound token signer (default: the Bot
 *   Framework's); for tests against a local signer and for sovereign clouds.
 */
export type AppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

export type TeamsAuth =
  | { mode: 'emulator' }
  | { mode: 'authenticated'; appId: string; appType: AppType; password?: string; tenantId?: string };

export interface TeamsConfig {
  auth: TeamsAuth;
  port: number;
  host: string;
  /**
   * `TEAMS_OPENID_METADATA_URL`: where inbound channel tokens' signing keys are published. Unset
   * (production): the Bot Framework's own metadata, botbuilder's default.
   */
  openIdMetadataUrl?: string;
}

/**
 * The Teams settings of a raw environment, for tools and tests; `npm start` parses the whole
 * environment once instead (runtime/env.ts). A bad value throws a ConfigError naming the variable.
 * Kept while createTeamsBot still takes a raw environment.
 */
export function loadTeamsConfig(env: Record<string, string | undefined>): TeamsConfig {
  return parseTeamsSettings(env);
}

/** The bot's own ID on the Bot Framework: the app ID, or empty in emulator mode. */
export function botAppId(config: Pick<TeamsConfig, 'auth'>): string {
  return config.auth.mode === 'authenticated' ? config.auth.appId : '';
}
