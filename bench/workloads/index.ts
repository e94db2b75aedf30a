import { sts } from "./sts.js";
import type { Workload } from "./types.js";

// Every workload the bench knows, in the order they run and print.
// Adding one: write bench/workloads/<name>.ts exporting a Workload, list it here.
export const WORKLOADS: readonly Workload[] = [sts];
