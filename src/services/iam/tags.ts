import type { Tag } from "@aws-sdk/client-iam";
import type { ModelErrors } from "../service.js";
import { pageFields, paginate, type PageInput } from "./pagination.js";
import type { TagRecord } from "./records.js";
import type { IamContext } from "./types.js";

// Tags on users, roles, instance profiles, policies and OpenID Connect providers; one
// Tag/Untag/List*Tags routine serves every kind (TagTarget). Lengths, patterns and the
// 50-per-request cap are model constraints (checked before the handler). What the
// model cannot say, recorded against AWS (LocalStack test_iam_roles / test_iam_policies
// snapshots):
// - users, roles and instance profiles match keys without case: duplicates are
//   InvalidInput "Duplicate tag keys found. Please note that Tag keys are case insensitive."
// - managed policies keep "a" and "A" apart, and say only "Duplicate tag keys found."
// - List*Tags answers tags sorted by key; CreateX echoes them in request order.
// - Tagging past 50 tags is LimitExceeded "The number of tags has reached the maximum limit."

export const MAX_TAGS = 50;

export interface TagRules {
  caseInsensitive: boolean;
}

export const ENTITY_TAGS: Record<"user" | "role" | "instanceProfile" | "policy" | "oidcProvider", TagRules> = {
  user: { caseInsensitive: true },
  role: { caseInsensitive: true },
  instanceProfile: { caseInsensitive: true },
  policy: { caseInsensitive: false },
  oidcProvider: { caseInsensitive: true },
};

const norm = (rules: TagRules, key: string) => (rules.caseInsensitive ? key.toLowerCase() : key);

/** Checks a request's tags and copies them for storage. */
export function requestTags(e: ModelErrors, rules: TagRules, tags: Tag[] | undefined): TagRecord[] {
  const result = (tags ?? []).map((t) => ({ Key: t.Key ?? "", Value: t.Value ?? "" }));
  const keys = new Set(result.map((t) => norm(rules, t.Key)));
  if (keys.size !== result.length) {
    throw e.InvalidInputException(
      rules.caseInsensitive
        ? "Duplicate tag keys found. Please note that Tag keys are case insensitive."
        : "Duplicate tag keys found.",
    );
  }
  return result;
}

/** TagX: new keys are added, existing ones get the new value. */
export function mergeTags(e: ModelErrors, rules: TagRules, existing: TagRecord[], added: Tag[] | undefined): TagRecord[] {
  const incoming = requestTags(e, rules, added);
  const merged = existing.map((t) => ({ ...t }));
  for (const tag of incoming) {
    const same = merged.find((t) => norm(rules, t.Key) === norm(rules, tag.Key));
    if (same) same.Value = tag.Value;
    else merged.push(tag);
  }
  // Recorded for OpenID Connect providers (test_iam_oidc.snapshot.json, tags-limit-error).
  if (merged.length > MAX_TAGS) throw e.LimitExceededException("The number of tags has reached the maximum limit.");
  return merged;
}

export function removeTags(rules: TagRules, existing: TagRecord[], keys: string[] | undefined): TagRecord[] {
  const gone = new Set((keys ?? []).map((k) => norm(rules, k)));
  return existing.filter((t) => !gone.has(norm(rules, t.Key)));
}

export function sortedTags(tags: TagRecord[]): Tag[] {
  return [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0)).map((t) => ({ ...t }));
}

/** A kind of taggable resource, for its TagX, UntagX and ListXTags operations. */
export interface TagTarget<T extends { Tags: TagRecord[] }> {
  rules: TagRules;
  /** The resource TagX and UntagX change, by the name or ARN the input gives. */
  require(ctx: IamContext, id: string): T;
  /** The resource ListXTags reads, when it may be one `require` refuses (AWS managed policies). */
  read?(ctx: IamContext, id: string): { Tags: TagRecord[] };
  save(ctx: IamContext, resource: T): void;
}

export function tagResource<T extends { Tags: TagRecord[] }>(ctx: IamContext, target: TagTarget<T>, id: string, tags: Tag[] | undefined): Record<string, never> {
  const resource = target.require(ctx, id);
  resource.Tags = mergeTags(ctx.errors, target.rules, resource.Tags, tags);
  target.save(ctx, resource);
  return {};
}

export function untagResource<T extends { Tags: TagRecord[] }>(ctx: IamContext, target: TagTarget<T>, id: string, keys: string[] | undefined): Record<string, never> {
  const resource = target.require(ctx, id);
  resource.Tags = removeTags(target.rules, resource.Tags, keys);
  target.save(ctx, resource);
  return {};
}

export function listResourceTags<T extends { Tags: TagRecord[] }>(ctx: IamContext, target: TagTarget<T>, id: string, input: PageInput) {
  const { Tags } = (target.read ?? target.require)(ctx, id);
  const page = paginate(sortedTags(Tags), (t) => t.Key!, input);
  return { Tags: page.items, ...pageFields(page) };
}
