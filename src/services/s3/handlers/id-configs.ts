import { malformedXml, s3Error } from "../errors.js";
import type { BucketRecord } from "../records.js";
import type { S3Context, S3Handler, S3Input } from "../types.js";
import { setOwn } from "../../../protocols/shape-walk.js";

// The bucket configurations S3 keeps several of, each under its Id: intelligent-
// tiering, inventory, analytics and metrics. Put, Get, Delete and List, stored
// and answered as given; nothing acts on them (no archive tiers, no inventory
// reports). One helper, one line per kind.

/** Configurations per page of a List (S3 answers up to 100: ListBucketInventoryConfigurations API reference). */
const PAGE = 100;

type Kind = "IntelligentTiering" | "Inventory" | "Analytics" | "Metrics";

function configsOf(bucket: BucketRecord, kind: Kind): Record<string, unknown> {
  return (bucket.configs[`${kind}Configurations`] ??= {}) as Record<string, unknown>;
}

function noSuchConfiguration(): Error {
  return s3Error("NoSuchConfiguration", "The specified configuration does not exist.");
}

function idOf(input: S3Input): string {
  const id = String(input.Id ?? "");
  if (id === "") throw malformedXml();
  return id;
}

function handlers(kind: Kind): { put: S3Handler; get: S3Handler; remove: S3Handler; list: S3Handler } {
  const member = `${kind}Configuration`;
  const save = (ctx: S3Context, bucket: BucketRecord) => ctx.store.saveBucket(bucket);
  return {
    put: (input, ctx) => {
      const bucket = ctx.store.requireBucket(input.Bucket);
      const id = idOf(input);
      const config = input[member] as Record<string, unknown> | undefined;
      // The document's Id must be the one the query names.
      if (!config || config.Id !== id) throw malformedXml();
      // An Id is the client's text: "__proto__" must be a key like any other.
      setOwn(configsOf(bucket, kind), id, config);
      save(ctx, bucket);
      return {};
    },
    get: (input, ctx) => {
      const bucket = ctx.store.requireBucket(input.Bucket);
      const configs = configsOf(bucket, kind);
      const id = idOf(input);
      if (!Object.hasOwn(configs, id)) throw noSuchConfiguration();
      const config = configs[id];
      return { [member]: config };
    },
    remove: (input, ctx) => {
      const bucket = ctx.store.requireBucket(input.Bucket);
      const configs = configsOf(bucket, kind);
      const id = idOf(input);
      if (!Object.hasOwn(configs, id)) throw noSuchConfiguration();
      delete configs[id];
      save(ctx, bucket);
      return {};
    },
    list: (input, ctx) => {
      const bucket = ctx.store.requireBucket(input.Bucket);
      const token = input.ContinuationToken === undefined ? undefined : String(input.ContinuationToken);
      const after = token === undefined ? "" : Buffer.from(token, "base64url").toString("utf8");
      const ids = Object.keys(configsOf(bucket, kind)).sort().filter((id) => id > after);
      const page = ids.slice(0, PAGE);
      const truncated = ids.length > page.length;
      return {
        IsTruncated: truncated,
        ContinuationToken: token,
        NextContinuationToken: truncated ? Buffer.from(page[page.length - 1]).toString("base64url") : undefined,
        [`${member}List`]: page.length ? page.map((id) => configsOf(bucket, kind)[id]) : undefined,
      };
    },
  };
}

const tiering = handlers("IntelligentTiering");
const inventory = handlers("Inventory");
const analytics = handlers("Analytics");
const metrics = handlers("Metrics");

export const PutBucketIntelligentTieringConfiguration = tiering.put;
export const GetBucketIntelligentTieringConfiguration = tiering.get;
export const DeleteBucketIntelligentTieringConfiguration = tiering.remove;
export const ListBucketIntelligentTieringConfigurations = tiering.list;
export const PutBucketInventoryConfiguration = inventory.put;
export const GetBucketInventoryConfiguration = inventory.get;
export const DeleteBucketInventoryConfiguration = inventory.remove;
export const ListBucketInventoryConfigurations = inventory.list;
export const PutBucketAnalyticsConfiguration = analytics.put;
export const GetBucketAnalyticsConfiguration = analytics.get;
export const DeleteBucketAnalyticsConfiguration = analytics.remove;
export const ListBucketAnalyticsConfigurations = analytics.list;
export const PutBucketMetricsConfiguration = metrics.put;
export const GetBucketMetricsConfiguration = metrics.get;
export const DeleteBucketMetricsConfiguration = metrics.remove;
export const ListBucketMetricsConfigurations = metrics.list;
