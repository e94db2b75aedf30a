import { defineService } from "../service.js";
import { armSchedule } from "./firing.js";
import * as groups from "./handlers/groups.js";
import * as schedules from "./handlers/schedules.js";
import { SchedulerStore } from "./store.js";

// EventBridge Scheduler (rest-json): schedule groups and schedules per account and
// region, firing on the shared clock to templated and universal targets.

export default defineService({
  name: "scheduler",
  scope: "region",
  restoreStores: true,
  createStore: (scope) => {
    const store = new SchedulerStore(scope);
    store.arm = (s, schedule) => armSchedule(s, schedule);
    store.armAll();
    return store;
  },
  handlers: { ...groups, ...schedules },
});
