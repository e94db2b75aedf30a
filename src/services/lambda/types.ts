import type { Handler, Output, ServiceContext } from "../service.js";
import type { LambdaStore } from "./store.js";

/** A Lambda operation handler typed by the SDK's command input and output. */
export type LambdaHandler<Input, Result> = Handler<Input, Output<Result>, LambdaStore>;
export type LambdaContext = ServiceContext<LambdaStore>;
