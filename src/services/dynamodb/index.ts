import { defineService } from "../service.js";
import * as batch from "./handlers/batch.js";
import * as items from "./handlers/items.js";
import * as partiql from "./handlers/partiql.js";
import * as readMany from "./handlers/read-many.js";
import * as settings from "./handlers/settings.js";
import * as tables from "./handlers/tables.js";
import * as transact from "./handlers/transact.js";
import { resetTables } from "./item-tables.js";
import { DynamoDbStore } from "./store.js";

// DynamoDB: tables per account and region (documents), items and index entries
// in SQLite (store.ts). Model validation runs first (its messages are AWS's);
// the handlers add DynamoDB's own checks; PartiQL statements plan onto the same
// item operations (partiql.ts); stream records are written with their items
// (stream-log.ts, read by the dynamodbstreams service). Not yet: on-demand
// backups and restores, global tables, imports/exports, Kinesis streaming.

export default defineService({
  name: "dynamodb",
  scope: "region",
  restoreStores: true,
  createStore: (scope) => new DynamoDbStore(scope),
  reset: resetTables,
  handlers: { ...tables, ...settings, ...items, ...readMany, ...batch, ...transact, ...partiql },
});
