import type {
  GetAccessKeyInfoCommandInput,
  GetAccessKeyInfoCommandOutput,
  GetCallerIdentityCommandInput,
  GetCallerIdentityCommandOutput,
} from "@aws-sdk/client-sts";
import type { StsHandler } from "../types.js";

// Who is calling, and whose is a key. The caller is the principal the gateway found
// for the request's access key: an IAM user, an assumed role session, a federated
// user, or (for keys Terrarium did not issue) the account root, whose ARN is
// arn:aws:iam::<account>:root and whose UserId is the account ID, as on AWS.

export const GetCallerIdentity: StsHandler<GetCallerIdentityCommandInput, GetCallerIdentityCommandOutput> = (_input, ctx) => ({
  UserId: ctx.principal.userId,
  Account: ctx.principal.account,
  Arn: ctx.principal.arn,
});

/** Any key's account: one Terrarium issued, a 12-digit key (the account itself), else the default account. */
export const GetAccessKeyInfo: StsHandler<GetAccessKeyInfoCommandInput, GetAccessKeyInfoCommandOutput> = (input, ctx) => ({
  Account: ctx.accessKeys.accountOf(input.AccessKeyId),
});
