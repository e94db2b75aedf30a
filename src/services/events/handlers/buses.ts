import type {
  CreateEventBusRequest, CreateEventBusResponse, DeleteEventBusRequest, DescribeEventBusRequest, DescribeEventBusResponse,
  EventBus, ListEventBusesRequest, ListEventBusesResponse, PutPermissionRequest, RemovePermissionRequest,
  UpdateEventBusRequest, UpdateEventBusResponse,
} from "@aws-sdk/client-eventbridge";
import { eventsErrors, validation } from "../errors.js";
import { page, tagMap } from "../pagination.js";
import type { BusRecord } from "../records.js";
import type { EventsHandler } from "../types.js";

// Event buses: the default one exists in every account and region; custom ones are
// created and deleted; PutPermission / RemovePermission edit the bus's resource policy.

function view(bus: BusRecord): EventBus & DescribeEventBusResponse {
  return {
    Name: bus.name, Arn: bus.arn,
    ...(bus.description !== undefined ? { Description: bus.description } : {}),
    ...(bus.policy ? { Policy: bus.policy } : {}),
    CreationTime: new Date(bus.creationTime), LastModifiedTime: new Date(bus.lastModifiedTime),
  };
}

export const CreateEventBus: EventsHandler<CreateEventBusRequest, CreateEventBusResponse> = (input, ctx) => {
  const name = input.Name!;
  if (ctx.store.bus(name)) throw eventsErrors().ResourceAlreadyExistsException(`Event bus ${name} already exists.`);
  // Partner buses need a partner event source, and Terrarium has none to offer.
  if (input.EventSourceName) throw eventsErrors().ResourceNotFoundException(`Event source ${input.EventSourceName} does not exist.`);
  // Names under aws. are the partner buses'; AWS's words, as users report them for a
  // partner name given without its EventSourceName (terraform-provider-aws#35065).
  if (name.startsWith("aws.")) throw validation("EventBus name starting with 'aws.' is not valid.");
  if (name.includes("/")) throw validation("Event bus name must not contain '/'.");
  const now = ctx.clock.now();
  const bus: BusRecord = {
    name, arn: ctx.store.busArn(name), creationTime: now, lastModifiedTime: now, tags: tagMap(input.Tags),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
  };
  ctx.store.saveBus(bus);
  return { EventBusArn: bus.arn, ...(bus.description !== undefined ? { Description: bus.description } : {}) };
};

export const UpdateEventBus: EventsHandler<UpdateEventBusRequest, UpdateEventBusResponse> = (input, ctx) => {
  const bus = ctx.store.requireBus(input.Name);
  if (input.Description !== undefined) bus.description = input.Description;
  bus.lastModifiedTime = ctx.clock.now();
  ctx.store.saveBus(bus);
  return { Arn: bus.arn, Name: bus.name, ...(bus.description !== undefined ? { Description: bus.description } : {}) };
};

export const DeleteEventBus: EventsHandler<DeleteEventBusRequest, object> = (input, ctx) => {
  const name = input.Name!;
  if (name === "default") throw validation("Cannot delete event bus default.");
  // Deleting a bus that does not exist succeeds, as on AWS.
  if (ctx.store.bus(name)) ctx.store.deleteBus(name);
  return {};
};

export const DescribeEventBus: EventsHandler<DescribeEventBusRequest, DescribeEventBusResponse> = (input, ctx) => {
  return view(ctx.store.requireBus(input.Name));
};

export const ListEventBuses: EventsHandler<ListEventBusesRequest, ListEventBusesResponse> = (input, ctx) => {
  const buses = ctx.store.allBuses().filter((b) => !input.NamePrefix || b.name.startsWith(input.NamePrefix));
  const { items, next } = page(buses, (b) => b.name, input.Limit, input.NextToken);
  return { EventBuses: items.map(view), ...(next ? { NextToken: next } : {}) };
};

interface Statement {
  Sid: string;
  Effect: string;
  Principal: unknown;
  Action: string;
  Resource: string;
  Condition?: unknown;
}

export const PutPermission: EventsHandler<PutPermissionRequest, object> = (input, ctx) => {
  const bus = ctx.store.requireBus(input.EventBusName);
  if (input.Policy !== undefined) {
    try {
      JSON.parse(input.Policy);
    } catch {
      throw validation("Policy is not valid JSON.");
    }
    bus.policy = input.Policy;
  } else {
    if (!input.StatementId || !input.Principal || !input.Action) {
      throw validation("One or more of the required parameters (Action, Principal, StatementId) is missing.");
    }
    if (input.Action !== "events:PutEvents") throw validation("Provided value in parameter 'action' is not supported.");
    const policy = bus.policy ? (JSON.parse(bus.policy) as { Version: string; Statement: Statement[] }) : { Version: "2012-10-17", Statement: [] };
    const statement: Statement = {
      Sid: input.StatementId, Effect: "Allow",
      Principal: input.Principal === "*" ? "*" : { AWS: /^\d{12}$/.test(input.Principal) ? `arn:aws:iam::${input.Principal}:root` : input.Principal },
      Action: input.Action, Resource: bus.arn,
      ...(input.Condition ? { Condition: { StringEquals: { [input.Condition.Key ?? "aws:PrincipalOrgID"]: input.Condition.Value } } } : {}),
    };
    policy.Statement = policy.Statement.filter((s) => s.Sid !== statement.Sid).concat(statement);
    bus.policy = JSON.stringify(policy);
  }
  bus.lastModifiedTime = ctx.clock.now();
  ctx.store.saveBus(bus);
  return {};
};

export const RemovePermission: EventsHandler<RemovePermissionRequest, object> = (input, ctx) => {
  const bus = ctx.store.requireBus(input.EventBusName);
  if (input.RemoveAllPermissions) {
    delete bus.policy;
  } else {
    const policy = bus.policy ? (JSON.parse(bus.policy) as { Statement?: Statement[] }) : undefined;
    const statements = policy?.Statement ?? [];
    if (!input.StatementId || !statements.some((s) => s.Sid === input.StatementId)) {
      throw eventsErrors().ResourceNotFoundException("Statement with the provided id does not exist.");
    }
    const rest = statements.filter((s) => s.Sid !== input.StatementId);
    if (rest.length === 0) delete bus.policy;
    else bus.policy = JSON.stringify({ ...policy, Statement: rest });
  }
  bus.lastModifiedTime = ctx.clock.now();
  ctx.store.saveBus(bus);
  return {};
};
