// What EventBridge Scheduler keeps, as persisted documents (store.ts), and the
// model's shapes it takes (no @aws-sdk/client-scheduler is installed to type them).

export interface FlexibleTimeWindow {
  Mode?: "OFF" | "FLEXIBLE";
  MaximumWindowInMinutes?: number;
}

export interface Target {
  Arn?: string;
  RoleArn?: string;
  Input?: string;
  DeadLetterConfig?: { Arn?: string };
  RetryPolicy?: { MaximumEventAgeInSeconds?: number; MaximumRetryAttempts?: number };
  SqsParameters?: { MessageGroupId?: string };
  EventBridgeParameters?: { DetailType?: string; Source?: string };
  [other: string]: unknown;
}

export interface Tag {
  Key?: string;
  Value?: string;
}

export interface GroupRecord {
  name: string;
  arn: string;
  state: "ACTIVE" | "DELETING";
  creationDate: number;
  lastModificationDate: number;
  tags: Record<string, string>;
}

export interface ScheduleRecord {
  name: string;
  groupName: string;
  arn: string;
  description?: string;
  scheduleExpression: string;
  scheduleExpressionTimezone?: string;
  startDate?: number;
  endDate?: number;
  state: "ENABLED" | "DISABLED";
  flexibleTimeWindow: FlexibleTimeWindow;
  target: Target;
  actionAfterCompletion?: "NONE" | "DELETE";
  kmsKeyArn?: string;
  creationDate: number;
  lastModificationDate: number;
}
