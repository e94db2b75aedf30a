import type { Handler, Output, ServiceContext } from "../service.js";
import type { EventsStore } from "./store.js";

export type EventsHandler<Input, Result> = Handler<Input, Output<Result>, EventsStore>;
export type EventsContext = ServiceContext<EventsStore>;
