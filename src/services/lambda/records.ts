// What the Lambda store persists (DocumentStore): functions with their versions,
// aliases, resource policies and settings, and layer versions. Code zips are blobs.

/** One function version's configuration ("$LATEST" or a published number). */
export interface VersionRecord {
  version: string;
  runtime: string;
  handler: string;
  role: string;
  description: string;
  timeout: number;
  memorySize: number;
  environment?: Record<string, string>;
  architectures: string[];
  ephemeralStorage: number;
  tracingMode: string;
  deadLetterTargetArn?: string;
  /** Layer version ARNs, in order. */
  layers: string[];
  kmsKeyArn?: string;
  /** The blob holding the zip, and the key of its extracted directory. */
  codeId: string;
  codeSha256: string;
  codeSize: number;
  lastModified: string;
  revisionId: string;
}

export interface AliasRecord {
  name: string;
  functionVersion: string;
  description: string;
  /** RoutingConfig.AdditionalVersionWeights. */
  weights?: Record<string, number>;
  revisionId: string;
}

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Principal: string | Record<string, string>;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface DestinationConfigRecord {
  OnSuccess?: { Destination?: string };
  OnFailure?: { Destination?: string };
}

export interface EventInvokeConfigRecord {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
  DestinationConfig?: DestinationConfigRecord;
  LastModified: number;
}

export interface FunctionRecord {
  name: string;
  /** "$LATEST" and every published version. */
  versions: Record<string, VersionRecord>;
  /** Version numbers are never reused, even after a version is deleted. */
  lastVersion: number;
  aliases: Record<string, AliasRecord>;
  /** Resource-based policy statements per qualifier ("" for the unqualified function). */
  policies: Record<string, PolicyStatement[]>;
  reservedConcurrency?: number;
  tags: Record<string, string>;
  /** Per qualifier ("$LATEST" for the unqualified function). */
  eventInvokeConfigs: Record<string, EventInvokeConfigRecord>;
  /** Provisioned concurrency configurations per qualifier (a version number or an alias). */
  provisionedConcurrency?: Record<string, { requested: number; lastModified: string }>;
  /** Function URLs per qualifier ("$LATEST" for the unqualified function, or an alias). */
  urls?: Record<string, FunctionUrlRecord>;
}

export interface FunctionUrlRecord {
  /** The 32-character id that starts the URL's host name. */
  urlId: string;
  qualifier?: string;
  authType: "NONE" | "AWS_IAM";
  cors?: {
    AllowCredentials?: boolean;
    AllowHeaders?: string[];
    AllowMethods?: string[];
    AllowOrigins?: string[];
    ExposeHeaders?: string[];
    MaxAge?: number;
  };
  invokeMode: "BUFFERED" | "RESPONSE_STREAM";
  creationTime: string;
  lastModifiedTime: string;
}

export interface LayerVersionRecord {
  name: string;
  version: number;
  description: string;
  createdDate: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
  codeId: string;
  codeSha256: string;
  codeSize: number;
  /** AddLayerVersionPermission statements, and the revision they are at. */
  policy?: PolicyStatement[];
  policyRevisionId?: string;
}

export interface LayerRecord {
  name: string;
  lastVersion: number;
  versions: Record<string, LayerVersionRecord>;
}
