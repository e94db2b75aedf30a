import type { Target } from "@aws-sdk/client-eventbridge";

// What EventBridge keeps, as persisted documents (store.ts).

export interface BusRecord {
  name: string;
  arn: string;
  description?: string;
  /** The resource policy as AWS answers it (a JSON string), built by PutPermission. */
  policy?: string;
  creationTime: number;
  lastModifiedTime: number;
  tags: Record<string, string>;
}

export interface RuleRecord {
  name: string;
  busName: string;
  arn: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: "ENABLED" | "DISABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";
  description?: string;
  roleArn?: string;
  managedBy?: string;
  createdBy: string;
  tags: Record<string, string>;
  /** In PutTargets order. */
  targets: Target[];
}

export interface ArchiveRecord {
  name: string;
  arn: string;
  sourceArn: string;
  description?: string;
  eventPattern?: string;
  /** 0: kept indefinitely. */
  retentionDays: number;
  state: "ENABLED" | "DISABLED";
  creationTime: number;
}

/** One event an archive kept: the envelope as delivered, and when it arrived. */
export interface ArchivedEvent {
  archive: string;
  /** The event's own time: what a replay's EventStartTime/EventEndTime select on
   *  ("A replay processes events to replay based on the time in the event"). */
  time: number;
  /** When the archive took it: what RetentionDays counts from (older records lack it). */
  archivedAt?: number;
  event: EventEnvelope;
  size: number;
}

export interface ReplayRecord {
  name: string;
  arn: string;
  description?: string;
  archiveArn: string;
  destination: { Arn: string; FilterArns?: string[] };
  eventStartTime: number;
  eventEndTime: number;
  state: "STARTING" | "RUNNING" | "CANCELLING" | "COMPLETED" | "CANCELLED" | "FAILED";
  stateReason?: string;
  replayStartTime: number;
  replayEndTime?: number;
  eventLastReplayedTime?: number;
}

/** An event as targets receive it ("Amazon EventBridge events" in the user guide). */
export interface EventEnvelope {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  "replay-name"?: string;
}

/** A connection: how EventBridge authorizes to an HTTP endpoint. `auth` keeps the
 *  secrets (passwords, keys, client secrets, secret parameter values), which AWS keeps
 *  in a Secrets Manager secret and never answers; views strip them (connections.ts). */
export interface ConnectionRecord {
  name: string;
  arn: string;
  description?: string;
  authorizationType: "BASIC" | "API_KEY" | "OAUTH_CLIENT_CREDENTIALS";
  auth: ConnectionAuth;
  state: "CREATING" | "UPDATING" | "DELETING" | "AUTHORIZED" | "DEAUTHORIZED" | "AUTHORIZING" | "DEAUTHORIZING";
  stateReason?: string;
  secretArn: string;
  kmsKeyIdentifier?: string;
  creationTime: number;
  lastModifiedTime: number;
  lastAuthorizedTime?: number;
}

export interface ConnectionParameter {
  Key?: string;
  Value?: string;
  IsValueSecret?: boolean;
}

export interface ConnectionHttpParameters {
  HeaderParameters?: ConnectionParameter[];
  QueryStringParameters?: ConnectionParameter[];
  BodyParameters?: ConnectionParameter[];
}

export interface ConnectionAuth {
  BasicAuthParameters?: { Username?: string; Password?: string };
  ApiKeyAuthParameters?: { ApiKeyName?: string; ApiKeyValue?: string };
  OAuthParameters?: {
    ClientParameters?: { ClientID?: string; ClientSecret?: string };
    AuthorizationEndpoint?: string;
    HttpMethod?: string;
    OAuthHttpParameters?: ConnectionHttpParameters;
  };
  InvocationHttpParameters?: ConnectionHttpParameters;
}

export interface ApiDestinationRecord {
  name: string;
  arn: string;
  description?: string;
  connectionArn: string;
  invocationEndpoint: string;
  httpMethod: string;
  invocationRateLimitPerSecond: number;
  creationTime: number;
  lastModifiedTime: number;
}
