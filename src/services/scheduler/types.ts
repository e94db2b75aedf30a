import type { Handler, ServiceContext } from "../service.js";
import type { SchedulerStore } from "./store.js";

export type SchedulerHandler<Input, Result> = Handler<Input, Result, SchedulerStore>;
export type SchedulerContext = ServiceContext<SchedulerStore>;
