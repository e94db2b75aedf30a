import type { Handler, ServiceContext } from "../service.js";
import type { LogsStore } from "./store.js";

// The @aws-sdk/client-cloudwatch-logs package is not a dependency, so the members
// handlers read are typed here, with the model's names.

export type LogsHandler<Input, Result> = Handler<Input, Result, LogsStore>;
export type LogsContext = ServiceContext<LogsStore>;

export interface GroupRef {
  logGroupName?: string;
  /** A name or an ARN (with or without the trailing ":*"). */
  logGroupIdentifier?: string;
}

export interface InputLogEvent {
  timestamp: number;
  message: string;
}

export interface OutputLogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}
