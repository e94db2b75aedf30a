import type {
  CreateAccessKeyCommandInput,
  CreateAccessKeyCommandOutput,
  DeleteAccessKeyCommandInput,
  DeleteAccessKeyCommandOutput,
  GetAccessKeyLastUsedCommandInput,
  GetAccessKeyLastUsedCommandOutput,
  ListAccessKeysCommandInput,
  ListAccessKeysCommandOutput,
  UpdateAccessKeyCommandInput,
  UpdateAccessKeyCommandOutput,
} from "@aws-sdk/client-iam";
import { parseArn } from "../../../platform/arn.js";
import { accessKeyId, secretAccessKey } from "../../../platform/ids.js";
import { accessDenied, limit, noSuch } from "../errors.js";
import { userForKeys } from "../lookups.js";
import { pageFields, paginate } from "../pagination.js";
import type { UserRecord } from "../records.js";
import { keyOf } from "../store.js";
import { registerUserKeys } from "../user-keys.js";
import { nowSeconds, type IamContext, type IamHandler } from "../types.js";

// Long-term access keys of IAM users. Each key is registered with the server's
// access key registry, so requests signed with it run as the user, in this account
// (GetCallerIdentity answers the user's ARN and UserId).

const KEYS_PER_USER = 2; // IAM quota AccessKeysPerUser

export const CreateAccessKey: IamHandler<CreateAccessKeyCommandInput, CreateAccessKeyCommandOutput> = (input, ctx) => {
  const user = userForKeys(ctx, input.UserName);
  // Recorded: LimitExceeded "Cannot exceed quota for AccessKeysPerUser: 2" (test_iam_users.snapshot.json).
  if (user.AccessKeys.length >= KEYS_PER_USER) throw limit.quota(ctx.errors, "AccessKeysPerUser", KEYS_PER_USER);
  const key = {
    AccessKeyId: accessKeyId(false),
    SecretAccessKey: secretAccessKey(),
    Status: "Active" as const,
    CreateDate: nowSeconds(ctx),
  };
  user.AccessKeys.push(key);
  ctx.store.users.put(keyOf(user.UserName), user);
  ctx.store.keyAdded(user, key.AccessKeyId);
  registerUserKeys(ctx, user);
  return { AccessKey: { UserName: user.UserName, ...key, CreateDate: new Date(key.CreateDate) } };
};

export const ListAccessKeys: IamHandler<ListAccessKeysCommandInput, ListAccessKeysCommandOutput> = (input, ctx) => {
  // The account root has no IAM user; its own keys are not modelled, so it has none.
  if (input.UserName === undefined && parseArn(ctx.principal.arn)?.resource === "root") {
    return { AccessKeyMetadata: [], IsTruncated: false };
  }
  const user = userForKeys(ctx, input.UserName);
  const order = (k: UserRecord["AccessKeys"][number]) => `${String(k.CreateDate).padStart(15, "0")}:${k.AccessKeyId}`;
  const page = paginate(user.AccessKeys, order, input);
  return {
    AccessKeyMetadata: page.items.map((k) => ({
      UserName: user.UserName,
      AccessKeyId: k.AccessKeyId,
      Status: k.Status,
      CreateDate: new Date(k.CreateDate),
    })),
    ...pageFields(page),
  };
};

function requireKey(ctx: IamContext, user: UserRecord, id: string) {
  const key = user.AccessKeys.find((k) => k.AccessKeyId === id);
  if (!key) throw noSuch.accessKey(ctx.errors, id);
  return key;
}

export const UpdateAccessKey: IamHandler<UpdateAccessKeyCommandInput, UpdateAccessKeyCommandOutput> = (input, ctx) => {
  const user = userForKeys(ctx, input.UserName);
  requireKey(ctx, user, input.AccessKeyId!).Status = input.Status === "Inactive" ? "Inactive" : "Active";
  ctx.store.users.put(keyOf(user.UserName), user);
  return {};
};

export const DeleteAccessKey: IamHandler<DeleteAccessKeyCommandInput, DeleteAccessKeyCommandOutput> = (input, ctx) => {
  const user = userForKeys(ctx, input.UserName);
  const key = requireKey(ctx, user, input.AccessKeyId!);
  user.AccessKeys = user.AccessKeys.filter((k) => k !== key);
  ctx.store.users.put(keyOf(user.UserName), user);
  ctx.store.keyRemoved(key.AccessKeyId);
  ctx.accessKeys.revoke(key.AccessKeyId);
  return {};
};

export const GetAccessKeyLastUsed: IamHandler<GetAccessKeyLastUsedCommandInput, GetAccessKeyLastUsedCommandOutput> = (
  input,
  ctx,
) => {
  const id = input.AccessKeyId!;
  const owner = ctx.store.ownerOfKey(id);
  if (!owner) {
    // Recorded (test_iam_users.snapshot.json, get-last-used-nonexistent-key-error); note AWS's
    // missing colon after "perform".
    throw accessDenied(`User: ${ctx.principal.arn} is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key ${id}`);
  }
  // Terrarium does not track key use; AWS answers a never-used key this way.
  return { UserName: owner.UserName, AccessKeyLastUsed: { ServiceName: "N/A", Region: "N/A" } };
};
