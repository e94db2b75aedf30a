import type { Handler, Output, ServiceContext } from "../service.js";
import type { SnsStore } from "./store.js";

export type SnsHandler<Input, Result> = Handler<Input, Output<Result>, SnsStore>;
export type SnsContext = ServiceContext<SnsStore>;

/** A message attribute as Publish takes it. */
export interface MessageAttribute {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}
