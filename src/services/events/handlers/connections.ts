import { randomBytes, randomUUID } from "node:crypto";
import type {
  Connection, CreateConnectionRequest, CreateConnectionResponse, DeauthorizeConnectionRequest, DeauthorizeConnectionResponse,
  DeleteConnectionRequest, DeleteConnectionResponse, DescribeConnectionRequest, DescribeConnectionResponse, ListConnectionsRequest,
  ListConnectionsResponse, UpdateConnectionRequest, UpdateConnectionResponse,
} from "@aws-sdk/client-eventbridge";
import { ServiceError } from "../../../protocols/service-error.js";
import { authorizeConnection, mergeAuth, publicAuth, validateAuth, type AuthorizationType } from "../connections.js";
import { eventsErrors } from "../errors.js";
import { page } from "../pagination.js";
import type { ConnectionAuth, ConnectionRecord } from "../records.js";
import type { EventsContext, EventsHandler } from "../types.js";

// CreateConnection / DescribeConnection / UpdateConnection / DeleteConnection /
// ListConnections / DeauthorizeConnection. The secrets stay in the connection's
// record; AWS keeps them in a Secrets Manager secret whose ARN DescribeConnection
// answers (Terrarium names one the same way but does not serve Secrets Manager yet).

function timestamps(c: ConnectionRecord) {
  return {
    CreationTime: new Date(c.creationTime), LastModifiedTime: new Date(c.lastModifiedTime),
    ...(c.lastAuthorizedTime !== undefined ? { LastAuthorizedTime: new Date(c.lastAuthorizedTime) } : {}),
  };
}

function summary(c: ConnectionRecord): Connection {
  return {
    ConnectionArn: c.arn, Name: c.name, ConnectionState: c.state,
    ...(c.stateReason !== undefined ? { StateReason: c.stateReason } : {}),
    AuthorizationType: c.authorizationType, ...timestamps(c),
  };
}

/** Private APIs reach through VPC Lattice resource configurations, which Terrarium does not serve. */
function refuseConnectivity(input: { InvocationConnectivityParameters?: unknown; AuthParameters?: { ConnectivityParameters?: unknown } }): void {
  if (input.InvocationConnectivityParameters || input.AuthParameters?.ConnectivityParameters) {
    throw new ServiceError("NotImplemented", "Terrarium does not serve connections to private APIs (InvocationConnectivityParameters) yet.", { status: 501, senderFault: false });
  }
}

/** OAuth connections authorize against their endpoint after the call answers. */
function authorizeLater(ctx: EventsContext, c: ConnectionRecord): void {
  if (c.state === "AUTHORIZING") setImmediate(() => void authorizeConnection(ctx.store, c.name, c.arn));
}

export const CreateConnection: EventsHandler<CreateConnectionRequest, CreateConnectionResponse> = (input, ctx) => {
  const name = input.Name!;
  if (ctx.store.connection(name)) throw eventsErrors().ResourceAlreadyExistsException(`Connection ${name} already exists.`);
  refuseConnectivity(input);
  const type = input.AuthorizationType as AuthorizationType;
  const auth = input.AuthParameters as ConnectionAuth;
  validateAuth(type, auth);
  const now = ctx.clock.now();
  const oauth = type === "OAUTH_CLIENT_CREDENTIALS";
  const connection: ConnectionRecord = {
    name, arn: `arn:aws:events:${ctx.region}:${ctx.account}:connection/${name}/${randomUUID()}`,
    authorizationType: type, auth, state: oauth ? "AUTHORIZING" : "AUTHORIZED",
    secretArn: `arn:aws:secretsmanager:${ctx.region}:${ctx.account}:secret:events!connection/${name}/${randomUUID()}-${randomBytes(3).toString("hex")}`,
    creationTime: now, lastModifiedTime: now,
    ...(oauth ? {} : { lastAuthorizedTime: now }),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.KmsKeyIdentifier !== undefined ? { kmsKeyIdentifier: input.KmsKeyIdentifier } : {}),
  };
  ctx.store.saveConnection(connection);
  authorizeLater(ctx, connection);
  return { ConnectionArn: connection.arn, ConnectionState: connection.state, CreationTime: new Date(now), LastModifiedTime: new Date(now) };
};

export const DescribeConnection: EventsHandler<DescribeConnectionRequest, DescribeConnectionResponse> = (input, ctx) => {
  const c = ctx.store.requireConnection(input.Name!);
  return {
    ...summary(c),
    ...(c.description !== undefined ? { Description: c.description } : {}),
    SecretArn: c.secretArn,
    ...(c.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: c.kmsKeyIdentifier } : {}),
    AuthParameters: publicAuth(c.auth),
  };
};

export const UpdateConnection: EventsHandler<UpdateConnectionRequest, UpdateConnectionResponse> = (input, ctx) => {
  const c = ctx.store.requireConnection(input.Name!);
  refuseConnectivity(input);
  const type = (input.AuthorizationType as AuthorizationType | undefined) ?? c.authorizationType;
  if (input.AuthParameters !== undefined || type !== c.authorizationType) {
    const update = (input.AuthParameters ?? {}) as ConnectionAuth;
    const auth = type === c.authorizationType ? mergeAuth(c.auth, update, type) : update;
    validateAuth(type, auth);
    c.authorizationType = type;
    c.auth = auth;
    // New credentials: authorize again (a deauthorized connection becomes usable).
    ctx.store.oauthTokens.delete(c.name);
    delete c.stateReason;
    if (type === "OAUTH_CLIENT_CREDENTIALS") c.state = "AUTHORIZING";
    else {
      c.state = "AUTHORIZED";
      c.lastAuthorizedTime = ctx.clock.now();
    }
  }
  if (input.Description !== undefined) c.description = input.Description;
  if (input.KmsKeyIdentifier !== undefined) c.kmsKeyIdentifier = input.KmsKeyIdentifier;
  c.lastModifiedTime = ctx.clock.now();
  ctx.store.saveConnection(c);
  authorizeLater(ctx, c);
  return { ConnectionArn: c.arn, ConnectionState: c.state, ...timestamps(c) };
};

export const DeleteConnection: EventsHandler<DeleteConnectionRequest, DeleteConnectionResponse> = (input, ctx) => {
  const c = ctx.store.requireConnection(input.Name!);
  ctx.store.deleteConnection(c.name);
  return { ConnectionArn: c.arn, ConnectionState: "DELETING", ...timestamps(c) };
};

/** Removes the connection's authorization (its secrets and token): invocations through
 *  it fail until UpdateConnection gives it credentials again. AWS answers DEAUTHORIZING
 *  and settles on DEAUTHORIZED. */
export const DeauthorizeConnection: EventsHandler<DeauthorizeConnectionRequest, DeauthorizeConnectionResponse> = (input, ctx) => {
  const c = ctx.store.requireConnection(input.Name!);
  const auth: ConnectionAuth = { ...c.auth };
  if (auth.BasicAuthParameters) auth.BasicAuthParameters = { Username: auth.BasicAuthParameters.Username };
  if (auth.ApiKeyAuthParameters) auth.ApiKeyAuthParameters = { ApiKeyName: auth.ApiKeyAuthParameters.ApiKeyName };
  if (auth.OAuthParameters) auth.OAuthParameters = { ...auth.OAuthParameters, ClientParameters: { ClientID: auth.OAuthParameters.ClientParameters?.ClientID } };
  c.auth = auth;
  c.state = "DEAUTHORIZED";
  c.lastModifiedTime = ctx.clock.now();
  ctx.store.oauthTokens.delete(c.name);
  ctx.store.saveConnection(c);
  return { ConnectionArn: c.arn, ConnectionState: "DEAUTHORIZING", ...timestamps(c) };
};

export const ListConnections: EventsHandler<ListConnectionsRequest, ListConnectionsResponse> = (input, ctx) => {
  const connections = ctx.store.allConnections()
    .filter((c) => (!input.NamePrefix || c.name.startsWith(input.NamePrefix)) && (!input.ConnectionState || c.state === input.ConnectionState));
  const { items, next } = page(connections, (c) => c.name, input.Limit, input.NextToken);
  return { Connections: items.map(summary), ...(next ? { NextToken: next } : {}) };
};
