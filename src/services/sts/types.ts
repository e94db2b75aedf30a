import type { Handler, Output, ServiceContext } from "../service.js";

/** STS keeps no state of its own: issued credentials live in the access key registry. */
export type StsStore = Record<string, never>;
export type StsHandler<Input, Result> = Handler<Input, Output<Result>, StsStore>;
export type StsContext = ServiceContext<StsStore>;
