import type { ConnectionAuthResponseParameters, ConnectionHttpParameters as SdkHttpParameters } from "@aws-sdk/client-eventbridge";
import { validation } from "./errors.js";
import { OutboundFailure, send } from "./http-request.js";
import type { ConnectionAuth, ConnectionHttpParameters, ConnectionParameter, ConnectionRecord } from "./records.js";
import type { EventsStore } from "./store.js";

// Connections ("Connections for HTTP endpoint targets"): the authorization EventBridge
// adds to API destination requests. Basic and API key connections are AUTHORIZED at
// once; an OAuth client-credentials connection is AUTHORIZING until its authorization
// endpoint answers a token (AUTHORIZED) or refuses (DEAUTHORIZED). The token is
// refreshed when it is within 60 seconds of expiring, and after the endpoint answers
// 401 or 407 ("Authorization methods for connections"). Secrets are never answered.

export type AuthorizationType = ConnectionRecord["authorizationType"];

const PARAMETERS_OF: Record<AuthorizationType, keyof ConnectionAuth> = {
  BASIC: "BasicAuthParameters",
  API_KEY: "ApiKeyAuthParameters",
  OAUTH_CLIENT_CREDENTIALS: "OAuthParameters",
};

/** The auth parameters a type needs are there (and no other type's); unverified wording. */
export function validateAuth(type: AuthorizationType, auth: ConnectionAuth): void {
  const needed = PARAMETERS_OF[type];
  if (!auth[needed]) throw validation(`${needed} must be specified for authorization type ${type}.`);
  for (const [other, key] of Object.entries(PARAMETERS_OF)) {
    if (other !== type && auth[key]) throw validation(`${key} cannot be specified for authorization type ${type}.`);
  }
  if (type === "OAUTH_CLIENT_CREDENTIALS") {
    const oauth = auth.OAuthParameters!;
    if (!oauth.ClientParameters?.ClientID || !oauth.ClientParameters.ClientSecret || !oauth.AuthorizationEndpoint || !oauth.HttpMethod) {
      throw validation("OAuthParameters must include ClientParameters, AuthorizationEndpoint and HttpMethod.");
    }
    endpointUrl(oauth.AuthorizationEndpoint, "AuthorizationEndpoint");
  }
}

/** An endpoint EventBridge can call: AWS takes only https; Terrarium also takes http, so
 *  tests can point at a local server. */
export function endpointUrl(text: string, member: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) throw validation(`Parameter ${member} is not valid.`);
  return url;
}

function publicParameters(list: ConnectionParameter[] | undefined): ConnectionParameter[] | undefined {
  return list?.map((p) => (p.IsValueSecret ? { Key: p.Key, IsValueSecret: true } : { ...p }));
}

function publicHttp(params: ConnectionHttpParameters | undefined): SdkHttpParameters | undefined {
  if (!params) return undefined;
  const out: SdkHttpParameters = {};
  if (params.HeaderParameters) out.HeaderParameters = publicParameters(params.HeaderParameters);
  if (params.QueryStringParameters) out.QueryStringParameters = publicParameters(params.QueryStringParameters);
  if (params.BodyParameters) out.BodyParameters = publicParameters(params.BodyParameters);
  return out;
}

/** AuthParameters as DescribeConnection answers them: without passwords, key values,
 *  client secrets or the values of secret parameters. */
export function publicAuth(auth: ConnectionAuth): ConnectionAuthResponseParameters {
  const out: ConnectionAuthResponseParameters = {};
  if (auth.BasicAuthParameters) out.BasicAuthParameters = { Username: auth.BasicAuthParameters.Username };
  if (auth.ApiKeyAuthParameters) out.ApiKeyAuthParameters = { ApiKeyName: auth.ApiKeyAuthParameters.ApiKeyName };
  if (auth.OAuthParameters) {
    const o = auth.OAuthParameters;
    out.OAuthParameters = {
      ClientParameters: { ClientID: o.ClientParameters?.ClientID },
      AuthorizationEndpoint: o.AuthorizationEndpoint,
      HttpMethod: o.HttpMethod as "GET" | "POST" | "PUT",
      ...(o.OAuthHttpParameters ? { OAuthHttpParameters: publicHttp(o.OAuthHttpParameters) } : {}),
    };
  }
  if (auth.InvocationHttpParameters) out.InvocationHttpParameters = publicHttp(auth.InvocationHttpParameters);
  return out;
}

/** UpdateConnection: the given members replace the stored ones, the rest is kept. */
export function mergeAuth(current: ConnectionAuth, update: ConnectionAuth, type: AuthorizationType): ConnectionAuth {
  const out: ConnectionAuth = {};
  const key = PARAMETERS_OF[type];
  if (key === "BasicAuthParameters") out.BasicAuthParameters = { ...current.BasicAuthParameters, ...update.BasicAuthParameters };
  if (key === "ApiKeyAuthParameters") out.ApiKeyAuthParameters = { ...current.ApiKeyAuthParameters, ...update.ApiKeyAuthParameters };
  if (key === "OAuthParameters") {
    const cur = current.OAuthParameters ?? {};
    const upd = update.OAuthParameters ?? {};
    out.OAuthParameters = { ...cur, ...upd, ClientParameters: { ...cur.ClientParameters, ...upd.ClientParameters } };
  }
  const invocation = update.InvocationHttpParameters ?? current.InvocationHttpParameters;
  if (invocation) out.InvocationHttpParameters = invocation;
  return out;
}

export function parameterMap(list: ConnectionParameter[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list ?? []) if (p.Key !== undefined) out[p.Key] = p.Value ?? "";
  return out;
}

/** Asks the connection's authorization endpoint for a token (client credentials grant):
 *  the client id and secret as HTTP Basic credentials, OAuthHttpParameters' headers and
 *  query string, and its body parameters form-encoded as OAuth 2.0 token requests are
 *  (users name grant_type, audience, scope there themselves). Resolves the token and
 *  when it expires. */
async function requestToken(connection: ConnectionRecord, now: number): Promise<{ value: string; expiresAt: number }> {
  const oauth = connection.auth.OAuthParameters!;
  const http = oauth.OAuthHttpParameters ?? {};
  const url = new URL(oauth.AuthorizationEndpoint!);
  for (const [k, v] of Object.entries(parameterMap(http.QueryStringParameters))) url.searchParams.append(k, v);
  const client = oauth.ClientParameters!;
  const headers: Record<string, string> = {
    ...parameterMap(http.HeaderParameters),
    Authorization: `Basic ${Buffer.from(`${client.ClientID}:${client.ClientSecret}`).toString("base64")}`,
    "User-Agent": "Amazon/EventBridge/ApiDestinations",
  };
  const form = new URLSearchParams(parameterMap(http.BodyParameters));
  const method = oauth.HttpMethod ?? "POST";
  let body: string | undefined;
  if (method === "GET") for (const [k, v] of form) url.searchParams.append(k, v);
  else {
    body = form.toString();
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  }
  const res = await send({ method, url, headers, body });
  if (res.status < 200 || res.status >= 300) {
    throw new OutboundFailure("SDK_CLIENT_ERROR", `The authorization endpoint answered HTTP ${res.status}.`);
  }
  let answer: { access_token?: unknown; expires_in?: unknown } = {};
  try {
    answer = JSON.parse(res.body) as typeof answer;
  } catch {
    // Not JSON: no token in it.
  }
  if (typeof answer.access_token !== "string" || answer.access_token === "") {
    throw new OutboundFailure("SDK_CLIENT_ERROR", "The authorization endpoint's answer has no access_token.");
  }
  const expiresIn = Number(answer.expires_in);
  return { value: answer.access_token, expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : Infinity };
}

/** Authorizes an OAuth connection (after CreateConnection or UpdateConnection): its state
 *  becomes AUTHORIZED with a fresh token, or DEAUTHORIZED with the reason. */
export async function authorizeConnection(store: EventsStore, name: string, arn: string): Promise<void> {
  const connection = store.connection(name);
  if (!connection || connection.arn !== arn || connection.authorizationType !== "OAUTH_CLIENT_CREDENTIALS") return;
  let reason: string | undefined;
  try {
    store.oauthTokens.set(name, await requestToken(connection, store.clock.now()));
  } catch (error) {
    reason = `Failed to authorize the connection: ${(error as Error).message}`;
  }
  const current = store.connection(name);
  if (!current || current.arn !== arn || current.state !== "AUTHORIZING") return;
  if (reason === undefined) {
    current.state = "AUTHORIZED";
    current.lastAuthorizedTime = store.clock.now();
    delete current.stateReason;
  } else {
    current.state = "DEAUTHORIZED";
    current.stateReason = reason;
  }
  store.saveConnection(current);
}

/** The Authorization header (or API key header) a connection adds to a request. */
export async function authorizationHeaders(store: EventsStore, connection: ConnectionRecord): Promise<Record<string, string>> {
  const auth = connection.auth;
  switch (connection.authorizationType) {
    case "BASIC": {
      const b = auth.BasicAuthParameters ?? {};
      return { Authorization: `Basic ${Buffer.from(`${b.Username}:${b.Password}`).toString("base64")}` };
    }
    case "API_KEY": {
      const k = auth.ApiKeyAuthParameters ?? {};
      return { [k.ApiKeyName ?? ""]: k.ApiKeyValue ?? "" };
    }
    case "OAUTH_CLIENT_CREDENTIALS": {
      const now = store.clock.now();
      let token = store.oauthTokens.get(connection.name);
      if (!token || token.expiresAt - now <= 60_000) {
        token = await requestToken(connection, now);
        store.oauthTokens.set(connection.name, token);
      }
      return { Authorization: `Bearer ${token.value}` };
    }
  }
}
