import { defineService } from "../service.js";
import * as events from "./handlers/events.js";
import * as groups from "./handlers/groups.js";
import * as streams from "./handlers/streams.js";
import { LogsStore, resetTables } from "./store.js";

// CloudWatch Logs (JSON 1.1, Logs_20140328): log groups, streams and events, with
// retention on Terrarium's clock and filter patterns for FilterLogEvents. Lambda
// delivers its functions' output here (/aws/lambda/<name>). Not yet: metric and
// subscription filters, Logs Insights queries, export tasks, data protection.

const { groupView: _groupView, ...groupHandlers } = groups;

export default defineService({
  name: "logs",
  scope: "region",
  createStore: (scope) => new LogsStore(scope),
  reset: resetTables,
  handlers: { ...groupHandlers, ...streams, ...events },
});
