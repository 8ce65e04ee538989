import type { CredentialsFactory } from '../../../bots/teams/adapter.js';
import type { FakeBotConnector } from './fake-bot-connector.js';

type Credentials = Awaited<ReturnType<CredentialsFactory['createCredentials']>>;
type WebResource = Parameters<Credentials['signRequest']>[0];

/**
 * Outbound credentials for authenticated-mode tests: a client-credentials token from the fake
 * Bot Connector's token endpoint, as MSAL would get one from login.microsoftonline.com, put on
 * every connector call as `Authorization: Bearer …`.
 */
export function fakeTokenCredentials(
  fake: FakeBotConnector,
  appId: string,
  password: string,
): CredentialsFactory {
  let token: string | null = null;
  async function getToken(): Promise<string> {
    if (token) return token;
    const res = await fetch(`${fake.serviceUrl}botframework.com/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: appId,
        client_secret: password,
        scope: 'https://api.botframework.com/.default',
      }),
    });
    const body = (await res.json()) as { access_token: string };
    token = body.access_token;
    return token;
  }
  const credentials: Credentials = {
    async signRequest(webResource: WebResource) {
      webResource.headers.set('authorization', `Bearer ${await getToken()}`);
      return webResource;
    },
  };
  return {
    isValidAppId: (id: string) => Promise.resolve(id === appId),
    isAuthenticationDisabled: () => Promise.resolve(false),
    createCredentials: () => Promise.resolve(credentials),
  };
}
