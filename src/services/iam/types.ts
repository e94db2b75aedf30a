import type { Handler, Output, ServiceContext } from "../service.js";
import type { IamStore } from "./store.js";

/** An IAM operation handler typed by the SDK's command input and output. */
export type IamHandler<Input, Result> = Handler<Input, Output<Result>, IamStore>;
export type IamContext = ServiceContext<IamStore>;

/** IAM reports times to the second. */
export function nowSeconds(ctx: IamContext): number {
  return Math.floor(ctx.clock.now() / 1000) * 1000;
}
