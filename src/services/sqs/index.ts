import { defineService } from "../service.js";
import { routeCrossAccount } from "./cross-account.js";
import * as deleteAndVisibility from "./handlers/delete-and-visibility.js";
import * as moveTasks from "./handlers/move-tasks.js";
import * as permissions from "./handlers/permissions.js";
import * as queues from "./handlers/queues.js";
import * as receive from "./handlers/receive.js";
import * as send from "./handlers/send.js";
import * as tags from "./handlers/tags.js";
import { queueUrlFromPath } from "./queue-url-path.js";
import { resetTables, SqsStore } from "./store.js";

// SQS: queues per account and region; messages in the sqs_messages table. SQS
// checks its input itself (InvalidParameterValue, MissingParameter, InvalidAttributeName)
// rather than with the generic model validation. A queue URL of another account or
// region runs in the owner's scope (cross-account.ts).

export default defineService({
  name: "sqs",
  scope: "region",
  createStore: (scope) => new SqsStore(scope),
  validateInput: false,
  inputFromRequest: queueUrlFromPath,
  reset: resetTables,
  handlers: routeCrossAccount({ ...queues, ...send, ...receive, ...deleteAndVisibility, ...tags, ...permissions, ...moveTasks }),
});
