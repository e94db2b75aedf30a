// An event source mapping as stored (the fields Lambda answers, in AWS's names).

export interface EventSourceMappingRecord {
  UUID: string;
  EventSourceArn: string;
  /** The function, possibly qualified (FunctionName as given, resolved to an ARN). */
  FunctionArn: string;
  BatchSize: number;
  MaximumBatchingWindowInSeconds: number;
  FilterCriteria?: { Filters?: { Pattern?: string }[] };
  FunctionResponseTypes?: string[];
  ScalingConfig?: { MaximumConcurrency?: number };
  StartingPosition?: string;
  MaximumRetryAttempts?: number;
  MaximumRecordAgeInSeconds?: number;
  BisectBatchOnFunctionError?: boolean;
  ParallelizationFactor?: number;
  DestinationConfig?: { OnFailure?: { Destination?: string } };
  Enabled: boolean;
  /** Epoch milliseconds. */
  LastModified: number;
  LastProcessingResult: string;
  Tags?: Record<string, string>;
}
