import type {
  DeleteProvisionedConcurrencyConfigRequest, GetProvisionedConcurrencyConfigRequest, GetProvisionedConcurrencyConfigResponse,
  ListProvisionedConcurrencyConfigsRequest, ListProvisionedConcurrencyConfigsResponse, ProvisionedConcurrencyConfigListItem,
  PutProvisionedConcurrencyConfigRequest, PutProvisionedConcurrencyConfigResponse,
} from "@aws-sdk/client-lambda";
import { functionNotFound, invalidParameter, lambdaError, resourceConflict, resourceNotFound } from "../errors.js";
import { lambdaTimestamp, parseFunctionName } from "../names.js";
import { allocate, allocationOf, deallocate, provisionedSum } from "../provisioned-concurrency.js";
import type { FunctionRecord } from "../records.js";
import type { LambdaStore } from "../store.js";
import type { LambdaHandler } from "../types.js";
import { paginate } from "./functions.js";

// Put/Get/Delete/ListProvisionedConcurrencyConfig(s): only on a published version or an
// alias (never $LATEST), within the function's reserved concurrency and the account's
// unreserved concurrency; the workers really start (provisioned-concurrency.ts).

const notLatest = () => invalidParameter("The function resource provided must be an alias or a published version.");

/** The function and the qualifier (a published version or an alias), with AWS's errors for each. */
function target(store: LambdaStore, functionName: string | undefined, qualifierParam: string | undefined): { fn: FunctionRecord; qualifier: string; version: string } {
  const { name, qualifier } = parseFunctionName(functionName ?? "", qualifierParam);
  const fn = store.get(name);
  if (qualifier === undefined || qualifier === "$LATEST") {
    if (!fn) throw functionNotFound(store.arn(name, qualifier));
    throw notLatest();
  }
  if (/^\d+$/.test(qualifier)) {
    if (!fn?.versions[qualifier]) throw functionNotFound(store.arn(name, qualifier));
    return { fn, qualifier, version: qualifier };
  }
  const alias = fn?.aliases[qualifier];
  if (!fn || !alias) throw resourceNotFound(`Cannot find alias arn: ${store.arn(name, qualifier)}`);
  return { fn, qualifier, version: alias.functionVersion };
}

export const PutProvisionedConcurrencyConfig: LambdaHandler<PutProvisionedConcurrencyConfigRequest, PutProvisionedConcurrencyConfigResponse> = (input, ctx) => {
  const store = ctx.store;
  if (input.Qualifier === "$LATEST") throw invalidParameter("Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
  const { fn, qualifier, version } = target(store, input.FunctionName, input.Qualifier);
  const requested = input.ProvisionedConcurrentExecutions!;
  const others = provisionedSum(fn, qualifier);
  if (fn.reservedConcurrency !== undefined && fn.reservedConcurrency < others + requested) {
    throw invalidParameter("Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function");
  }
  if (requested > store.concurrentExecutions) {
    throw invalidParameter(`Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [${store.concurrentExecutions}].`);
  }
  // Without reserved concurrency, provisioned concurrency comes out of the account's unreserved pool.
  if (fn.reservedConcurrency === undefined && store.unreservedConcurrency(fn.name, qualifier) - requested < store.minimumUnreserved) {
    throw invalidParameter(
      `Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${store.minimumUnreserved}].`,
    );
  }
  // One configuration per version: through the version itself or through an alias to it.
  const configs = fn.provisionedConcurrency ?? {};
  if (qualifier !== version && configs[version]) {
    throw resourceConflict("Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");
  }
  if (qualifier === version && Object.values(fn.aliases).some((a) => a.functionVersion === version && configs[a.name])) {
    throw resourceConflict("Version is pointed by a Provisioned Concurrency alias");
  }
  const lastModified = lambdaTimestamp(ctx.clock.now());
  fn.provisionedConcurrency = { ...configs, [qualifier]: { requested, lastModified } };
  store.save(fn);
  allocate(store, fn, qualifier);
  return {
    RequestedProvisionedConcurrentExecutions: requested,
    AvailableProvisionedConcurrentExecutions: 0,
    AllocatedProvisionedConcurrentExecutions: 0,
    Status: "IN_PROGRESS",
    LastModified: lastModified,
  };
};

function view(store: LambdaStore, fn: FunctionRecord, qualifier: string): ProvisionedConcurrencyConfigListItem {
  const config = fn.provisionedConcurrency![qualifier];
  const allocation = allocationOf(store, fn, qualifier);
  return {
    RequestedProvisionedConcurrentExecutions: config.requested,
    AvailableProvisionedConcurrentExecutions: allocation.allocated,
    AllocatedProvisionedConcurrentExecutions: allocation.allocated,
    Status: allocation.status,
    ...(allocation.statusReason ? { StatusReason: allocation.statusReason } : {}),
    LastModified: config.lastModified,
  };
}

export const GetProvisionedConcurrencyConfig: LambdaHandler<GetProvisionedConcurrencyConfigRequest, GetProvisionedConcurrencyConfigResponse> = (input, ctx) => {
  const { fn, qualifier } = target(ctx.store, input.FunctionName, input.Qualifier);
  if (!fn.provisionedConcurrency?.[qualifier]) {
    throw lambdaError("ProvisionedConcurrencyConfigNotFoundException", "No Provisioned Concurrency Config found for this function");
  }
  return view(ctx.store, fn, qualifier);
};

export const ListProvisionedConcurrencyConfigs: LambdaHandler<ListProvisionedConcurrencyConfigsRequest, ListProvisionedConcurrencyConfigsResponse> = (input, ctx) => {
  const store = ctx.store;
  const fn = store.require(input.FunctionName);
  const items = Object.keys(fn.provisionedConcurrency ?? {})
    .sort()
    .map((qualifier) => ({ FunctionArn: store.arn(fn.name, qualifier), ...view(store, fn, qualifier) }));
  return paginate(items, input.Marker, input.MaxItems, "ProvisionedConcurrencyConfigs");
};

export const DeleteProvisionedConcurrencyConfig: LambdaHandler<DeleteProvisionedConcurrencyConfigRequest, object> = (input, ctx) => {
  const store = ctx.store;
  const { fn, qualifier, version } = target(store, input.FunctionName, input.Qualifier);
  // Deleting a configuration that does not exist succeeds, as on AWS.
  if (fn.provisionedConcurrency?.[qualifier]) {
    delete fn.provisionedConcurrency[qualifier];
    store.save(fn);
    deallocate(store, fn, version, qualifier);
  }
  return {};
};
