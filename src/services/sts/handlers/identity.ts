import type {
  GetAccessKeyInfoCommandInput,
  GetAccessKeyInfoCommandOutput,
  GetCallerIdentityCommandInput,
  GetCallerIdentityCommandOutput,
} from "@aws-sdk/client-sts";
import type { Handler, Output } from "../../service.js";

export const GetCallerIdentity: Handler<GetCallerIdentityCommandInput, Output<GetCallerIdentityCommandOutput>> = (_input, ctx) => ({
  UserId: ctx.principal.userId,
  Account: ctx.principal.account,
  Arn: ctx.principal.arn,
});

export const GetAccessKeyInfo: Handler<GetAccessKeyInfoCommandInput, Output<GetAccessKeyInfoCommandOutput>> = (input, ctx) => ({
  Account: ctx.accessKeys.accountOf(input.AccessKeyId),
});
