import type {
  GetFederationTokenCommandInput,
  GetFederationTokenCommandOutput,
  GetSessionTokenCommandInput,
  GetSessionTokenCommandOutput,
} from "@aws-sdk/client-sts";
import type { Handler, Output } from "../../service.js";
import { issueCredentials, packedPolicySize } from "../credentials.js";

// Session tokens default to 12 hours (GetSessionToken and GetFederationToken API references).
const DEFAULT_SESSION_SECONDS = 43_200;

export const GetSessionToken: Handler<GetSessionTokenCommandInput, Output<GetSessionTokenCommandOutput>> = (input, ctx) => ({
  Credentials: issueCredentials(ctx, ctx.principal, input.DurationSeconds ?? DEFAULT_SESSION_SECONDS),
});

export const GetFederationToken: Handler<GetFederationTokenCommandInput, Output<GetFederationTokenCommandOutput>> = (input, ctx) => {
  const account = ctx.principal.account;
  const user = { FederatedUserId: `${account}:${input.Name}`, Arn: `arn:aws:sts::${account}:federated-user/${input.Name}` };
  return {
    Credentials: issueCredentials(ctx, { account, arn: user.Arn, userId: user.FederatedUserId }, input.DurationSeconds ?? DEFAULT_SESSION_SECONDS),
    FederatedUser: user,
    PackedPolicySize: packedPolicySize(input.Policy, input.PolicyArns),
  };
};
