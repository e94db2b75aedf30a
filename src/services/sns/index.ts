import { defineService } from "../service.js";
import * as permissions from "./handlers/permissions.js";
import * as publish from "./handlers/publish.js";
import * as subscriptions from "./handlers/subscriptions.js";
import * as tags from "./handlers/tags.js";
import * as topics from "./handlers/topics.js";
import { snsInternalRoutes } from "./internal-routes.js";
import { SnsStore } from "./store.js";

// SNS: topics and subscriptions per account and region, Publish fanned out to SQS,
// Lambda, http/https, and recorded email/SMS. SNS checks its input itself
// (InvalidParameter "Invalid parameter: ...") rather than with the generic model
// validation. Not yet: platform applications, SMS settings and sandbox.

export default defineService({
  name: "sns",
  scope: "region",
  createStore: (scope) => new SnsStore(scope),
  validateInput: false,
  handlers: { ...topics, ...subscriptions, ...publish, ...tags, ...permissions },
  internalRoutes: snsInternalRoutes,
});
