import type {
  AssumeRootCommandInput,
  AssumeRootCommandOutput,
  GetFederationTokenCommandInput,
  GetFederationTokenCommandOutput,
  GetSessionTokenCommandInput,
  GetSessionTokenCommandOutput,
} from "@aws-sdk/client-sts";
import { callerIsRoot, callerIsSession, issueCredentials } from "../credentials.js";
import { accessDenied, validationError } from "../errors.js";
import { packSession } from "../session-policy.js";
import type { StsContext, StsHandler } from "../types.js";

// Session credentials for the caller itself (GetSessionToken), for a federated user
// (GetFederationToken) and for a member account's root (AssumeRoot). Durations, from
// the API references: 12 hours by default, at most 1 hour for the root user; AssumeRoot
// 15 minutes. Session credentials cannot ask for more session credentials:
// AccessDenied "Cannot call GetSessionToken with session credentials" (and the same
// for GetFederationToken), AWS's words in those references' error cases.

const DEFAULT_SESSION_SECONDS = 43_200;
const ROOT_MAX_SECONDS = 3_600;

function sessionDuration(ctx: StsContext, requested: number | undefined): number {
  const duration = requested ?? DEFAULT_SESSION_SECONDS;
  return callerIsRoot(ctx) ? Math.min(duration, ROOT_MAX_SECONDS) : duration;
}

export const GetSessionToken: StsHandler<GetSessionTokenCommandInput, GetSessionTokenCommandOutput> = (input, ctx) => {
  if (callerIsSession(ctx)) throw accessDenied("Cannot call GetSessionToken with session credentials");
  return { Credentials: issueCredentials(ctx, ctx.principal, sessionDuration(ctx, input.DurationSeconds)) };
};

export const GetFederationToken: StsHandler<GetFederationTokenCommandInput, GetFederationTokenCommandOutput> = (input, ctx) => {
  if (callerIsSession(ctx)) throw accessDenied("Cannot call GetFederationToken with session credentials");
  const account = ctx.principal.account;
  const user = { FederatedUserId: `${account}:${input.Name}`, Arn: `arn:aws:sts::${account}:federated-user/${input.Name}` };
  // AWS answers PackedPolicySize 0 when no session policy was given (recorded: LocalStack
  // test_sts.snapshot.json, test_get_federation_token).
  const packed = packSession(ctx.errors, input) ?? 0;
  const credentials = issueCredentials(ctx, { account, arn: user.Arn, userId: user.FederatedUserId }, sessionDuration(ctx, input.DurationSeconds));
  return { Credentials: credentials, FederatedUser: user, PackedPolicySize: packed };
};

/** Privileged root tasks on a member account: credentials of that account's root user. */
export const AssumeRoot: StsHandler<AssumeRootCommandInput, AssumeRootCommandOutput> = (input, ctx) => {
  const target = input.TargetPrincipal!;
  const account = /^\d{12}$/.test(target) ? target : /^arn:[^:]+:iam::(\d{12}):root$/.exec(target)?.[1];
  if (!account) throw validationError(`${target} is invalid`);
  const arn = `arn:aws:iam::${account}:root`;
  return { Credentials: issueCredentials(ctx, { account, arn, userId: account }, input.DurationSeconds ?? 900) };
};
