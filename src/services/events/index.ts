import { defineService } from "../service.js";
import * as apiDestinations from "./handlers/api-destinations.js";
import * as archives from "./handlers/archives.js";
import * as buses from "./handlers/buses.js";
import * as connections from "./handlers/connections.js";
import * as putEvents from "./handlers/put-events.js";
import * as rules from "./handlers/rules.js";
import * as tags from "./handlers/tags.js";
import * as targets from "./handlers/targets.js";
import { authorizeConnection } from "./connections.js";
import { armSchedule } from "./schedule.js";
import { EventsStore } from "./store.js";

// EventBridge: event buses, rules (event patterns on the shared engine, schedules on
// the shared clock), targets reached through ctx.invoke, PutEvents, archives and
// replays, connections and API destinations (real HTTP requests), per account and
// region. Not yet: endpoints, partner event sources (they answer NotImplemented).

export default defineService({
  name: "events",
  scope: "region",
  restoreStores: true,
  createStore: (scope) => {
    const store = new EventsStore(scope);
    store.armSchedule = armSchedule;
    store.armAll();
    // An OAuth connection restored mid-authorization asks its endpoint again.
    for (const c of store.allConnections()) if (c.state === "AUTHORIZING") setImmediate(() => void authorizeConnection(store, c.name, c.arn));
    return store;
  },
  handlers: {
    ...buses, ...rules, ...targets, ...archives, ...tags, ...connections, ...apiDestinations,
    PutEvents: putEvents.PutEvents,
  },
});
