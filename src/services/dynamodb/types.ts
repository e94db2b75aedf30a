import type { Handler, Output, ServiceContext } from "../service.js";
import type { DynamoDbStore } from "./store.js";

/** A DynamoDB operation handler typed by the SDK's command input and output. */
export type DdbHandler<Input, Result> = Handler<Input, Output<Result>, DynamoDbStore>;
export type DdbContext = ServiceContext<DynamoDbStore>;
