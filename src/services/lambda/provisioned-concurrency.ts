import type { FunctionRecord } from "./records.js";
import type { LambdaStore } from "./store.js";

// Provisioned concurrency: a version (or an alias's version) keeps that many initialized
// workers (src/runtime/worker-pool.ts provision()). The configuration is stored with the
// function; how far its allocation got lives with the running server (LambdaRuntime),
// so after a restart the workers are started again. AWS takes minutes to go from
// IN_PROGRESS to READY; here it takes the workers' init time.

export type ProvisionedStatus = "IN_PROGRESS" | "READY" | "FAILED";

export interface Allocation {
  status: ProvisionedStatus;
  allocated: number;
  statusReason?: string;
}

/** The allocation of one configuration (account/region/function/qualifier). */
export function allocationKey(store: LambdaStore, functionName: string, qualifier: string): string {
  return `${store.account}/${store.region}/${functionName}/${qualifier}`;
}

/** Starts (or resizes) the workers of one configuration; the status turns READY or FAILED when they are up. */
export function allocate(store: LambdaStore, fn: FunctionRecord, qualifier: string): Allocation {
  const config = fn.provisionedConcurrency?.[qualifier];
  const key = allocationKey(store, fn.name, qualifier);
  const allocation: Allocation = { status: "IN_PROGRESS", allocated: 0 };
  if (!config || store.runtime.stopped) return allocation;
  store.runtime.provisioned.set(key, allocation);
  const { config: version } = store.resolve(fn.name, qualifier);
  const spec = store.spec(fn, version);
  void store.runtime
    .executor()
    .provision(spec, config.requested)
    .then(
      (ready) => {
        allocation.allocated = ready;
        if (ready >= config.requested) allocation.status = "READY";
        else Object.assign(allocation, { status: "FAILED", statusReason: "FUNCTION_ERROR_INIT_FAILURE" });
      },
      (error: unknown) => {
        store.logger.warn(`lambda: provisioned concurrency for ${fn.name}:${qualifier} failed: ${(error as Error).message}`);
        Object.assign(allocation, { status: "FAILED", statusReason: "FUNCTION_ERROR_INIT_FAILURE" });
      },
    );
  return allocation;
}

/** Stops keeping the workers of one configuration (they finish their work and end). */
export function deallocate(store: LambdaStore, fn: FunctionRecord, version: string, qualifier: string): void {
  store.runtime.provisioned.delete(allocationKey(store, fn.name, qualifier));
  if (store.runtime.stopped || !fn.versions[version]) return;
  void store.runtime.executor().provision(store.spec(fn, fn.versions[version]), 0).catch(() => undefined);
}

/** The allocation as the API reports it (IN_PROGRESS with nothing allocated until the workers are up). */
export function allocationOf(store: LambdaStore, fn: FunctionRecord, qualifier: string): Allocation {
  return store.runtime.provisioned.get(allocationKey(store, fn.name, qualifier)) ?? { status: "IN_PROGRESS", allocated: 0 };
}

/** Provisioned concurrency of every configuration of a function, but `except`. */
export function provisionedSum(fn: FunctionRecord, except?: string): number {
  let total = 0;
  for (const [qualifier, config] of Object.entries(fn.provisionedConcurrency ?? {})) if (qualifier !== except) total += config.requested;
  return total;
}
