import type { Handler, Output, ServiceContext } from "../service.js";
import type { SqsStore } from "./store.js";

/** An SQS operation handler typed by the SDK's command input and output. */
export type SqsHandler<Input, Result> = Handler<Input, Output<Result>, SqsStore>;
export type SqsContext = ServiceContext<SqsStore>;

/** A message attribute as SendMessage takes it and ReceiveMessage returns it. */
export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  /** Bytes; base64 once persisted. */
  BinaryValue?: Uint8Array;
  StringListValues?: string[];
  BinaryListValues?: Uint8Array[];
}
