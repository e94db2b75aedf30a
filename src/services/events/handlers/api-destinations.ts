import { randomUUID } from "node:crypto";
import type {
  ApiDestination, CreateApiDestinationRequest, CreateApiDestinationResponse, DeleteApiDestinationRequest, DescribeApiDestinationRequest,
  DescribeApiDestinationResponse, ListApiDestinationsRequest, ListApiDestinationsResponse, UpdateApiDestinationRequest,
  UpdateApiDestinationResponse,
} from "@aws-sdk/client-eventbridge";
import { endpointUrl } from "../connections.js";
import { connectionNotFound, eventsErrors } from "../errors.js";
import { page } from "../pagination.js";
import type { ApiDestinationRecord } from "../records.js";
import type { EventsContext, EventsHandler } from "../types.js";

// CreateApiDestination / DescribeApiDestination / UpdateApiDestination /
// DeleteApiDestination / ListApiDestinations: an HTTP endpoint (with `*` path
// parameters the targets fill), its method, its connection, and the invocation rate
// EventBridge keeps to (300 per second unless told).

const DEFAULT_RATE_LIMIT = 300;

/** The destination is ACTIVE while its connection can authorize requests. */
function state(ctx: EventsContext, d: ApiDestinationRecord): "ACTIVE" | "INACTIVE" {
  const connection = ctx.store.connectionByArn(d.connectionArn);
  return connection && connection.state !== "DEAUTHORIZED" ? "ACTIVE" : "INACTIVE";
}

function view(ctx: EventsContext, d: ApiDestinationRecord): ApiDestination & DescribeApiDestinationResponse {
  return {
    ApiDestinationArn: d.arn, Name: d.name,
    ...(d.description !== undefined ? { Description: d.description } : {}),
    ApiDestinationState: state(ctx, d), ConnectionArn: d.connectionArn, InvocationEndpoint: d.invocationEndpoint,
    HttpMethod: d.httpMethod as ApiDestination["HttpMethod"], InvocationRateLimitPerSecond: d.invocationRateLimitPerSecond,
    CreationTime: new Date(d.creationTime), LastModifiedTime: new Date(d.lastModifiedTime),
  };
}

function requireConnectionArn(ctx: EventsContext, arn: string): void {
  if (ctx.store.connectionByArn(arn)) return;
  throw connectionNotFound(/:connection\/([^/]+)\//.exec(arn)?.[1] ?? arn);
}

export const CreateApiDestination: EventsHandler<CreateApiDestinationRequest, CreateApiDestinationResponse> = (input, ctx) => {
  const name = input.Name!;
  if (ctx.store.apiDestination(name)) throw eventsErrors().ResourceAlreadyExistsException(`An api-destination '${name}' already exists.`);
  endpointUrl(input.InvocationEndpoint!, "InvocationEndpoint");
  requireConnectionArn(ctx, input.ConnectionArn!);
  const now = ctx.clock.now();
  const destination: ApiDestinationRecord = {
    name, arn: `arn:aws:events:${ctx.region}:${ctx.account}:api-destination/${name}/${randomUUID()}`,
    connectionArn: input.ConnectionArn!, invocationEndpoint: input.InvocationEndpoint!, httpMethod: input.HttpMethod!,
    invocationRateLimitPerSecond: input.InvocationRateLimitPerSecond ?? DEFAULT_RATE_LIMIT,
    creationTime: now, lastModifiedTime: now,
    ...(input.Description !== undefined ? { description: input.Description } : {}),
  };
  ctx.store.saveApiDestination(destination);
  return { ApiDestinationArn: destination.arn, ApiDestinationState: state(ctx, destination), CreationTime: new Date(now), LastModifiedTime: new Date(now) };
};

export const DescribeApiDestination: EventsHandler<DescribeApiDestinationRequest, DescribeApiDestinationResponse> = (input, ctx) => {
  return view(ctx, ctx.store.requireApiDestination(input.Name!));
};

export const UpdateApiDestination: EventsHandler<UpdateApiDestinationRequest, UpdateApiDestinationResponse> = (input, ctx) => {
  const d = ctx.store.requireApiDestination(input.Name!);
  if (input.InvocationEndpoint !== undefined) {
    endpointUrl(input.InvocationEndpoint, "InvocationEndpoint");
    d.invocationEndpoint = input.InvocationEndpoint;
  }
  if (input.ConnectionArn !== undefined) {
    requireConnectionArn(ctx, input.ConnectionArn);
    d.connectionArn = input.ConnectionArn;
  }
  if (input.HttpMethod !== undefined) d.httpMethod = input.HttpMethod;
  if (input.InvocationRateLimitPerSecond !== undefined) d.invocationRateLimitPerSecond = input.InvocationRateLimitPerSecond;
  if (input.Description !== undefined) d.description = input.Description;
  d.lastModifiedTime = ctx.clock.now();
  ctx.store.saveApiDestination(d);
  return { ApiDestinationArn: d.arn, ApiDestinationState: state(ctx, d), CreationTime: new Date(d.creationTime), LastModifiedTime: new Date(d.lastModifiedTime) };
};

export const DeleteApiDestination: EventsHandler<DeleteApiDestinationRequest, object> = (input, ctx) => {
  ctx.store.deleteApiDestination(ctx.store.requireApiDestination(input.Name!).name);
  return {};
};

export const ListApiDestinations: EventsHandler<ListApiDestinationsRequest, ListApiDestinationsResponse> = (input, ctx) => {
  const destinations = ctx.store.allApiDestinations()
    .filter((d) => (!input.NamePrefix || d.name.startsWith(input.NamePrefix)) && (!input.ConnectionArn || d.connectionArn === input.ConnectionArn));
  const { items, next } = page(destinations, (d) => d.name, input.Limit, input.NextToken);
  return { ApiDestinations: items.map((d) => view(ctx, d)), ...(next ? { NextToken: next } : {}) };
};
