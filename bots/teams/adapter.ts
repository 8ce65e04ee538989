import { TeamsAdapter } from '@microsoft/teams-ai';
import type {
  Activity,
  ConfigurationBotFrameworkAuthenticationOptions,
  ConversationParameters,
  ConversationReference,
  InvokeResponse,
  TurnContext,
} from 'botbuilder';
import type { Logger } from '../../domain/logger.js';
import { botAppId, type TeamsConfig } from './env.js';

/** botbuilder does not re-export this type; take it from the adapter's own constructor. */
export type CredentialsFactory = NonNullable<ConstructorParameters<typeof TeamsAdapter>[1]>;

/**
 * The Bot Framework adapter, and the one place that touches botbuilder internals.
 *
 * Retries: the connector client that botbuilder builds for every turn runs Azure core's default
 * retry policy (exponential back-off on 5xx and network errors, and the throttling policy that
 * sleeps on 429 Retry-After and sends again). Concordat retries in one layer only, the Temporal
 * activity, so `withoutConnectorRetries` removes that policy from each turn's client before the
 * first call. A 429 then reaches the chat port, which turns it into a ChatRateLimited failure
 * with Retry-After as the activity's next retry delay.
 */

/** Hooks for tests and sovereign clouds; production leaves them unset. */
export interface AdapterOverrides {
  /** Where inbound Bot Framework tokens' signing keys are published (OpenID metadata URL). */
  openIdMetadataUrl?: string;
  /** The issuer inbound channel tokens must carry (default https://api.botframework.com). */
  tokenIssuer?: string;
  /** Supplies outbound credentials (default: MSAL with the app ID and secret or managed identity). */
  credentialsFactory?: CredentialsFactory;
}

interface PipelineLike {
  removePolicy(options: { phase?: string; name?: string }): unknown;
}

function isPipelineHolder(value: unknown): value is { pipeline: PipelineLike } {
  if (typeof value !== 'object' || value === null || !('pipeline' in value)) return false;
  const pipeline: unknown = value.pipeline;
  return (
    typeof pipeline === 'object' &&
    pipeline !== null &&
    'removePolicy' in pipeline &&
    typeof pipeline.removePolicy === 'function'
  );
}

/**
 * Removes the Azure core retry policies from this turn's connector client. Returns false if the
 * client's shape is not the one known (a botbuilder upgrade), so the caller can log it loudly.
 */
export function withoutConnectorRetries(context: TurnContext): boolean {
  const connector: unknown = context.turnState.get(context.adapter.ConnectorClientKey);
  if (typeof connector !== 'object' || connector === null) return false;
  const inner: unknown = Reflect.get(connector, 'client');
  if (!isPipelineHolder(inner)) return false;
  inner.pipeline.removePolicy({ phase: 'Retry' });
  return true;
}

/** The two Bot Connector calls the chat port makes, from the turn's connector client. */
export interface ConversationsApi {
  sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
  updateActivity(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<unknown>;
}

function isConversationsApi(value: unknown): value is ConversationsApi {
  return (
    typeof value === 'object' &&
    value !== null &&
    'sendToConversation' in value &&
    typeof value.sendToConversation === 'function' &&
    'updateActivity' in value &&
    typeof value.updateActivity === 'function'
  );
}

/**
 * The Bot Connector's conversations API for this turn. Proactive posts call it directly:
 * `TurnContext.sendActivity` in a continued conversation would send a *reply* to the synthetic
 * continuation activity's random ID, where a new channel post (`sendToConversation`) is meant.
 */
export function conversationsOf(context: TurnContext): ConversationsApi {
  const connector: unknown = context.turnState.get(context.adapter.ConnectorClientKey);
  const conversations: unknown =
    typeof connector === 'object' && connector !== null ? Reflect.get(connector, 'conversations') : undefined;
  if (!isConversationsApi(conversations)) {
    throw new Error('botbuilder changed: the turn has no connector client with a conversations API');
  }
  return {
    sendToConversation: (id, activity) => conversations.sendToConversation(id, activity),
    updateActivity: (id, activityId, activity) => conversations.updateActivity(id, activityId, activity),
  };
}

export class ConcordatTeamsAdapter extends TeamsAdapter {
  private warnedAboutRetries = false;

  constructor(
    readonly appId: string,
    authConfig: ConfigurationBotFrameworkAuthenticationOptions,
    credentialsFactory?: CredentialsFactory,
    private readonly log?: Logger,
  ) {
    super(authConfig, credentialsFactory);
  }

  /** Removes the connector's retries for this turn; says so loudly, once, if it cannot. */
  private noRetries(context: TurnContext): void {
    if (withoutConnectorRetries(context) || this.warnedAboutRetries) return;
    this.warnedAboutRetries = true;
    this.log?.error(
      'botbuilder’s connector client has an unknown shape: its own retry policy could not be removed, so Teams sends may be retried twice',
    );
  }

  /**
   * Authenticates one inbound activity (the Authorization header is checked against the Bot
   * Framework's signing keys unless in emulator mode), runs `logic`, and returns the invoke
   * response if the logic set one. Throws botbuilder's AuthenticationError for a bad token.
   */
  async handleActivity(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, async (context) => {
      this.noRetries(context);
      await logic(context);
    });
  }

  /** Runs `logic` in the conversation of a stored reference, with retries removed. */
  async proactive(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    await this.continueConversationAsync(this.appId, reference, async (context) => {
      this.noRetries(context);
      await logic(context);
    });
  }

  /** Opens a new conversation (a 1:1 chat with a user) and runs `logic` in it. */
  async openConversation(
    serviceUrl: string,
    parameters: ConversationParameters,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    await this.createConversationAsync(
      this.appId,
      'msteams',
      serviceUrl,
      'https://api.botframework.com',
      parameters,
      async (context) => {
        this.noRetries(context);
        await logic(context);
      },
    );
  }
}

/** botbuilder's public Azure cloud endpoints (AuthenticationConstants), for use with overrides. */
const PUBLIC_CLOUD: ConfigurationBotFrameworkAuthenticationOptions = {
  ValidateAuthority: true,
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl:
    'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
};

/** Builds the adapter from the parsed environment: emulator mode has no app ID and no auth. */
export function createTeamsAdapter(
  config: Pick<TeamsConfig, 'auth' | 'openIdMetadataUrl'>,
  given: AdapterOverrides = {},
  log?: Logger,
): ConcordatTeamsAdapter {
  // TEAMS_OPENID_METADATA_URL, unless a caller's override names another.
  const overrides: AdapterOverrides =
    config.openIdMetadataUrl && !given.openIdMetadataUrl
      ? { ...given, openIdMetadataUrl: config.openIdMetadataUrl }
      : given;
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {};
  if (config.auth.mode === 'authenticated') {
    auth.MicrosoftAppId = config.auth.appId;
    auth.MicrosoftAppType = config.auth.appType;
    if (config.auth.password) auth.MicrosoftAppPassword = config.auth.password;
    if (config.auth.tenantId) auth.MicrosoftAppTenantId = config.auth.tenantId;
  }
  if (overrides.openIdMetadataUrl || overrides.tokenIssuer) {
    // botbuilder treats any one endpoint setting as "all are intentional", so name them all: the
    // public Azure cloud's values, with the override on top.
    Object.assign(auth, PUBLIC_CLOUD, {
      ...(overrides.openIdMetadataUrl
        ? { ToBotFromChannelOpenIdMetadataUrl: overrides.openIdMetadataUrl }
        : {}),
      ...(overrides.tokenIssuer ? { ToBotFromChannelTokenIssuer: overrides.tokenIssuer } : {}),
    });
  }
  return new ConcordatTeamsAdapter(botAppId(config), auth, overrides.credentialsFactory, log);
}
