import { defineService } from "../service.js";
import * as batch from "./handlers/batch.js";
import * as items from "./handlers/items.js";
import * as readMany from "./handlers/read-many.js";
import * as settings from "./handlers/settings.js";
import * as tables from "./handlers/tables.js";
import * as transact from "./handlers/transact.js";
import { DynamoDbStore, resetTables } from "./store.js";

// DynamoDB: tables per account and region (documents), items and index entries
// in SQLite (store.ts). Model validation runs first (its messages are AWS's);
// the handlers add DynamoDB's own checks. Not yet: PartiQL, backups, global
// tables, imports/exports, the legacy conditional parameters, streams.

export default defineService({
  name: "dynamodb",
  scope: "region",
  createStore: (scope) => new DynamoDbStore(scope),
  reset: resetTables,
  handlers: { ...tables, ...settings, ...items, ...readMany, ...batch, ...transact },
});
