import type { Config } from "../../config.js";
import { defineService, type ServiceDefinition } from "../service.js";
import * as eventInvokeConfig from "./handlers/event-invoke-config.js";
import * as eventSourceMappings from "./handlers/event-source-mappings.js";
import * as functionUrls from "./handlers/function-urls.js";
import * as functions from "./handlers/functions.js";
import * as invoke from "./handlers/invoke.js";
import * as layerPermissions from "./handlers/layer-permissions.js";
import * as layers from "./handlers/layers.js";
import * as permissions from "./handlers/permissions.js";
import * as provisionedConcurrency from "./handlers/provisioned-concurrency.js";
import * as settings from "./handlers/settings.js";
import * as versions from "./handlers/versions.js";
import { lambdaInternalRoutes } from "./internal-routes.js";
import { LogDelivery } from "./log-delivery.js";
import { LambdaRuntime } from "./runtime-host.js";
import { LambdaStore } from "./store.js";

// Lambda: functions, versions, aliases, layers and policies per account and region;
// code really runs in worker processes (src/runtime/). Each server gets its own
// definition (the registry calls createLambdaService), because the service owns
// per-server state beyond its stores: the executor and its workers, and the
// directory where code is extracted. stop() kills the workers; reset releases them.
// Event source mappings poll SQS queues and DynamoDB streams; function URLs are served
// through Invoke (function-url-invoke.ts); provisioned concurrency keeps workers
// started (provisioned-concurrency.ts). Not yet: code signing.

const { paginate: _paginate, checkRevision: _checkRevision, publishedVersions: _published, ...functionHandlers } = functions;
const { publish: _publish, ...versionHandlers } = versions;
const { layerName: _layerName, ...layerHandlers } = layers;

export function createLambdaService(): ServiceDefinition<LambdaStore> {
  let runtime: LambdaRuntime | undefined;
  const runtimeFor = (config: Config) => (runtime ??= new LambdaRuntime(config));
  return defineService<LambdaStore>({
    name: "lambda",
    scope: "region",
    restoreStores: true,
    createStore: (scope) => {
      const rt = runtimeFor(scope.config);
      rt.clock ??= scope.clock;
      rt.logger ??= scope.logger;
      rt.endpoint ??= () => scope.endpoint();
      rt.logs ??= new LogDelivery(scope.invoke, scope.logger);
      return new LambdaStore(scope, rt);
    },
    internalRoutes: lambdaInternalRoutes,
    reset: () => runtime?.reset(),
    stop: () => void runtime?.stop(),
    handlers: {
      ...functionHandlers,
      ...versionHandlers,
      ...invoke,
      ...layerHandlers,
      ...layerPermissions,
      ...permissions,
      ...provisionedConcurrency,
      ...settings,
      ...eventInvokeConfig,
      ...eventSourceMappings,
      ...functionUrls,
    },
  });
}

export default createLambdaService;
