import { z } from 'zod';
import { describeConfigError } from '../../domain/protocol.js';
import { ConfigError } from '../../runtime/config.js';

/**
 * The Teams bot's secrets and settings from the environment, parsed by zod at start-up.
 *
 * - `MICROSOFT_APP_ID`, `MICROSOFT_APP_PASSWORD`, `MICROSOFT_APP_TENANT_ID`, `MICROSOFT_APP_TYPE`
 *   (`MultiTenant` | `SingleTenant` | `UserAssignedMSI`): the Azure Bot registration. The type
 *   defaults to SingleTenant when a tenant ID is set, else MultiTenant.
 * - With none of the four set, the bot runs in local emulator mode: no Bot Framework token is
 *   checked on `/api/messages` and none is sent to the connector. Only for a laptop.
 * - `TEAMS_PORT` (default 3978, the Bot Framework convention) and `TEAMS_HOST` (default 0.0.0.0 with
 *   an app ID; 127.0.0.1 in emulator mode, so an unauthenticated endpoint is not exposed by accident).
 */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = z.preprocess(blank, z.string().trim().optional());

export const appTypeSchema = z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']);
export type AppType = z.infer<typeof appTypeSchema>;

export const teamsEnvSchema = z
  .object({
    MICROSOFT_APP_ID: optionalText,
    MICROSOFT_APP_PASSWORD: optionalText,
    MICROSOFT_APP_TENANT_ID: optionalText,
    MICROSOFT_APP_TYPE: z.preprocess(
      blank,
      z
        .string()
        .trim()
        .transform((v, ctx) => {
          const match = appTypeSchema.options.find((o) => o.toLowerCase() === v.toLowerCase());
          if (!match) {
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              message: `Must be one of ${appTypeSchema.options.join(', ')}`,
            });
            return z.NEVER;
          }
          return match;
        })
        .optional(),
    ),
    TEAMS_PORT: z.preprocess(blank, z.coerce.number().int().min(0).max(65535).default(3978)),
    TEAMS_HOST: z.preprocess(blank, z.string().optional()),
  })
  .superRefine((e, ctx) => {
    const any =
      e.MICROSOFT_APP_ID ?? e.MICROSOFT_APP_PASSWORD ?? e.MICROSOFT_APP_TENANT_ID ?? e.MICROSOFT_APP_TYPE;
    if (any === undefined) return; // emulator mode
    const need = (key: keyof typeof e, why: string) => {
      if (e[key] === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: why });
    };
    need('MICROSOFT_APP_ID', 'Set the Azure Bot’s Microsoft App ID (or unset all four for emulator mode)');
    const type = appTypeOf(e);
    if (type === 'UserAssignedMSI') {
      need('MICROSOFT_APP_TENANT_ID', 'A UserAssignedMSI bot needs the tenant ID');
      if (e.MICROSOFT_APP_PASSWORD !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['MICROSOFT_APP_PASSWORD'],
          message: 'Must not be set for UserAssignedMSI: the managed identity has no secret',
        });
      }
    } else {
      need('MICROSOFT_APP_PASSWORD', `A ${type} bot needs the client secret of its app registration`);
      if (type === 'SingleTenant') need('MICROSOFT_APP_TENANT_ID', 'A SingleTenant bot needs the tenant ID');
    }
  });

/**
 * The registration type: as set; else SingleTenant when a tenant ID is given (new Azure Bots are
 * single-tenant since Microsoft stopped creating multi-tenant ones on 31 July 2025); else
 * MultiTenant, for a bot registered before then.
 */
function appTypeOf(e: {
  MICROSOFT_APP_TYPE?: AppType | undefined;
  MICROSOFT_APP_TENANT_ID?: string | undefined;
}): AppType {
  return e.MICROSOFT_APP_TYPE ?? (e.MICROSOFT_APP_TENANT_ID ? 'SingleTenant' : 'MultiTenant');
}

export type TeamsAuth =
  | { mode: 'emulator' }
  | { mode: 'authenticated'; appId: string; appType: AppType; password?: string; tenantId?: string };

export interface TeamsConfig {
  auth: TeamsAuth;
  port: number;
  host: string;
}

/** Reads the Teams settings; a bad value stops the start with a message naming the variable. */
export function loadTeamsConfig(env: NodeJS.ProcessEnv = process.env): TeamsConfig {
  const parsed = teamsEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError('environment (Teams)', describeConfigError(parsed.error));
  const e = parsed.data;
  const auth: TeamsAuth = e.MICROSOFT_APP_ID
    ? {
        mode: 'authenticated',
        appId: e.MICROSOFT_APP_ID,
        appType: appTypeOf(e),
        ...(e.MICROSOFT_APP_PASSWORD ? { password: e.MICROSOFT_APP_PASSWORD } : {}),
        ...(e.MICROSOFT_APP_TENANT_ID ? { tenantId: e.MICROSOFT_APP_TENANT_ID } : {}),
      }
    : { mode: 'emulator' };
  const host = e.TEAMS_HOST ?? (auth.mode === 'emulator' ? '127.0.0.1' : '0.0.0.0');
  return { auth, port: e.TEAMS_PORT, host };
}

/** The bot's own ID on the Bot Framework: the app ID, or empty in emulator mode. */
export function botAppId(config: Pick<TeamsConfig, 'auth'>): string {
  return config.auth.mode === 'authenticated' ? config.auth.appId : '';
}
