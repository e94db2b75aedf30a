import type { Handler } from "../service.js";
import { parseQueueUrl, queueUrl } from "./store.js";
import type { SqsContext } from "./types.js";

// A queue URL naming another account (or, by its host, another region) reaches that
// account's queue, as on AWS, where a queue's URL is its address whoever calls. The
// operation runs in the owner's scope through ctx.invoke. GetQueueUrl with
// QueueOwnerAWSAccountId does the same by name. Terrarium enforces no IAM yet, so
// the queue's policy (AddPermission) is stored but not checked here.

/** sqs.<region>.amazonaws.com, sqs.<region>.localhost.localstack.cloud, <region>.queue.amazonaws.com (and .localhost.localstack.cloud) */
const REGION_HOST = /^(?:sqs\.([a-z]{2}(?:-[a-z]+)+-\d)\.|([a-z]{2}(?:-[a-z]+)+-\d)\.queue\.)/;

/** LocalStack's path strategy: http://localhost:4566/queue/<region>/<account>/<name>. */
const REGION_PATH = /\/queue\/([a-z]{2}(?:-[a-z]+)+-\d)\/\d{12}\/[^/]+$/;

// Clients repeat the same few queue URLs: each one's region read once (a bounded
// cache of a pure function of the URL).
const regions = new Map<string, string | undefined>();

function regionOf(url: string): string | undefined {
  if (regions.has(url)) return regions.get(url);
  if (regions.size >= 1024) regions.clear();
  const region = readRegion(url);
  regions.set(url, region);
  return region;
}

function readRegion(url: string): string | undefined {
  const host = /^[a-z]+:\/\/([^/]+)/i.exec(url)?.[1];
  const match = host ? REGION_HOST.exec(host) : null;
  return match ? (match[1] ?? match[2]) : REGION_PATH.exec(url.split(/[?#]/)[0])?.[1];
}

type AnyInput = { QueueUrl?: string; QueueName?: string; QueueOwnerAWSAccountId?: string };

export function routeCrossAccount<H extends Record<string, Handler<any, any, any>>>(handlers: H): H {
  const out: Record<string, Handler<any, any, any>> = {};
  for (const [operation, handler] of Object.entries(handlers)) {
    out[operation] = (input: AnyInput, ctx: SqsContext) => {
      if (operation === "GetQueueUrl") {
        const owner = input?.QueueOwnerAWSAccountId;
        if (owner && owner !== ctx.account && /^\d{12}$/.test(owner)) {
          const { QueueOwnerAWSAccountId: _, ...rest } = input;
          return ctx.invoke("sqs", operation, rest, { account: owner, region: ctx.region }).then((r) => {
            // The URL on the host this caller used.
            const parsed = parseQueueUrl(String(r.QueueUrl ?? ""));
            return parsed ? { QueueUrl: queueUrl(ctx.http?.host, parsed.account, parsed.name) } : r;
          });
        }
        return handler(input, ctx);
      }
      const url = typeof input?.QueueUrl === "string" ? input.QueueUrl : undefined;
      const parsed = url ? parseQueueUrl(url) : undefined;
      if (parsed) {
        const region = regionOf(url!) ?? ctx.region;
        if (parsed.account !== ctx.account || region !== ctx.region) {
          return ctx.invoke("sqs", operation, input as Record<string, unknown>, { account: parsed.account, region });
        }
      }
      return handler(input, ctx);
    };
  }
  return out as H;
}
