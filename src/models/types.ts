// Types of the compact service models under src/models/: botocore's
// service-2.json format with documentation stripped (see scripts/generate-models.mjs).
// The protocol test vectors in ../shared/protocol-tests use the same format.

export type ProtocolName = "json" | "query" | "rest-json" | "rest-xml" | "smithy-rpc-v2-cbor" | "ec2";

export interface ServiceMetadata {
  apiVersion: string;
  endpointPrefix?: string;
  signingName?: string;
  jsonVersion?: string;
  protocol: ProtocolName;
  protocols?: ProtocolName[];
  serviceId?: string;
  serviceFullName?: string;
  targetPrefix?: string;
  xmlNamespace?: string;
  awsQueryCompatible?: Record<string, unknown>;
  globalEndpoint?: string;
  /** S3's bare <Error> bodies (Smithy's restXml noErrorWrapping), set by a model patch. */
  noErrorWrapping?: boolean;
  uid?: string;
}

export interface ShapeRef {
  shape: string;
  location?: "header" | "headers" | "querystring" | "uri" | "statusCode";
  locationName?: string;
  queryName?: string;
  /** The element name in XML (query responses) where it differs from the JSON key
   *  that locationName sets: awsQueryCompatible services (SQS), set by a model patch. */
  xmlName?: string;
  xmlNamespace?: { prefix?: string; uri: string };
  xmlAttribute?: boolean;
  flattened?: boolean;
  jsonvalue?: boolean;
  timestampFormat?: TimestampFormat;
  idempotencyToken?: boolean;
  hostLabel?: boolean;
  streaming?: boolean;
  eventpayload?: boolean;
  resultWrapper?: string;
  deprecated?: boolean;
  contextParam?: unknown;
}

export type TimestampFormat = "iso8601" | "rfc822" | "unixTimestamp";

export interface Shape {
  type:
    | "structure" | "list" | "map" | "string" | "integer" | "long" | "float" | "double"
    | "boolean" | "timestamp" | "blob" | "bigdecimal" | "biginteger" | "byte" | "short" | "character";
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  payload?: string;
  flattened?: boolean;
  locationName?: string;
  xmlNamespace?: { prefix?: string; uri: string };
  timestampFormat?: TimestampFormat;
  streaming?: boolean;
  requiresLength?: boolean;
  document?: boolean;
  union?: boolean;
  event?: boolean;
  eventstream?: boolean;
  exception?: boolean;
  fault?: boolean;
  sensitive?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: ShapeRef;
  output?: ShapeRef;
  errors?: ShapeRef[];
  endpoint?: { hostPrefix?: string };
  httpChecksum?: Record<string, unknown>;
  idempotent?: boolean;
  deprecated?: boolean;
  authtype?: string;
  /** Clients may gzip this operation's request body (CloudWatch PutMetricData). */
  requestcompression?: { encodings: string[] };
}

export interface ServiceModel {
  metadata: ServiceMetadata;
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}
