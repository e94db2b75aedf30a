import type {
  AssumeRoleWithSAMLCommandInput,
  AssumeRoleWithSAMLCommandOutput,
  AssumeRoleWithWebIdentityCommandInput,
  AssumeRoleWithWebIdentityCommandOutput,
} from "@aws-sdk/client-sts";
import { createHash } from "node:crypto";
import { issueCredentials } from "../credentials.js";
import { accessDenied } from "../errors.js";
import { jwtClaims, nameQualifier, samlAssertion } from "../identity-tokens.js";
import { assumedRoleUser, roleSessionDuration, targetRole } from "../role-target.js";
import { packSession } from "../session-policy.js";
import type { StsContext, StsHandler } from "../types.js";

// Assuming a role with an identity from outside AWS. These calls need no AWS
// signature: whoever holds the token may call. Tokens are read, not verified.
//
// Error messages: AccessDenied "Not authorized to perform sts:AssumeRoleWithWebIdentity"
// and "... sts:AssumeRoleWithSAML" are AWS's for a role that cannot be assumed this way
// (quoted from AWS in aws/aws-sdk-net#1522 and aws/aws-sdk-net#744); the token errors
// use the STS model's own descriptions of InvalidIdentityToken and ExpiredTokenException.

const INVALID_TOKEN =
  "The web identity token that was passed could not be validated by Amazon Web Services. Get a new identity token from the identity provider and then retry the request.";
const EXPIRED_TOKEN =
  "The web identity token that was passed is expired or is not valid. Get a new identity token from the identity provider and then retry the request.";

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

interface WebIdentity {
  subject?: string;
  audience?: string;
  provider?: string;
}

/** OpenID Connect ID tokens (JWTs), or OAuth 2.0 access tokens of the provider named by ProviderId. */
function webIdentity(ctx: StsContext, input: AssumeRoleWithWebIdentityCommandInput, account: string): WebIdentity {
  const token = input.WebIdentityToken!;
  const claims = jwtClaims(token);
  if (!claims) {
    if (input.ProviderId === undefined) throw ctx.errors.InvalidIdentityTokenException(INVALID_TOKEN);
    // An opaque access token: the provider would tell us the user; a stable id stands in.
    return { subject: createHash("sha256").update(token).digest("hex").slice(0, 32), provider: input.ProviderId };
  }
  if (typeof claims.exp === "number" && claims.exp * 1000 <= ctx.clock.now()) {
    throw ctx.errors.ExpiredTokenException(EXPIRED_TOKEN);
  }
  const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  const issuer = str(claims.iss);
  // For an OpenID Connect issuer AWS answers its IAM provider's ARN (as seen in EKS and
  // GitHub Actions sessions: arn:aws:iam::<account>:oidc-provider/<issuer host and path>).
  const provider = input.ProviderId ?? (issuer ? `arn:aws:iam::${account}:oidc-provider/${issuer.replace(/^https:\/\//, "")}` : undefined);
  return { subject: str(claims.sub), audience: str(aud), provider };
}

export const AssumeRoleWithWebIdentity: StsHandler<
  AssumeRoleWithWebIdentityCommandInput,
  AssumeRoleWithWebIdentityCommandOutput
> = async (input, ctx) => {
  const role = await targetRole(ctx, input.RoleArn!, () => accessDenied("Not authorized to perform sts:AssumeRoleWithWebIdentity"));
  const identity = webIdentity(ctx, input, role.account);
  const duration = roleSessionDuration(role, input.DurationSeconds, false);
  const packed = packSession(ctx.errors, input);
  const user = assumedRoleUser(role, input.RoleSessionName!);
  const credentials = issueCredentials(ctx, { account: role.account, arn: user.Arn, userId: user.AssumedRoleId }, duration);
  return {
    Credentials: credentials,
    ...(identity.subject !== undefined ? { SubjectFromWebIdentityToken: identity.subject } : {}),
    AssumedRoleUser: user,
    ...(packed !== undefined ? { PackedPolicySize: packed } : {}),
    ...(identity.provider !== undefined ? { Provider: identity.provider } : {}),
    ...(identity.audience !== undefined ? { Audience: identity.audience } : {}),
  };
};

/**
 * SAML federation: the session name and (unless DurationSeconds says otherwise) the
 * duration come from the assertion's https://aws.amazon.com/SAML/Attributes/
 * RoleSessionName and SessionDuration attributes, as AWS reads them.
 */
export const AssumeRoleWithSAML: StsHandler<AssumeRoleWithSAMLCommandInput, AssumeRoleWithSAMLCommandOutput> = async (
  input,
  ctx,
) => {
  const role = await targetRole(ctx, input.RoleArn!, () => accessDenied("Not authorized to perform sts:AssumeRoleWithSAML"));
  const assertion = samlAssertion(input.SAMLAssertion!);
  const sessionName = assertion?.attributes.RoleSessionName?.[0];
  if (!assertion || !sessionName) throw ctx.errors.InvalidIdentityTokenException(INVALID_TOKEN);
  const fromAssertion = Number(assertion.attributes.SessionDuration?.[0]);
  const requested = input.DurationSeconds ?? (Number.isInteger(fromAssertion) && fromAssertion > 0 ? fromAssertion : undefined);
  const duration = roleSessionDuration(role, requested, false);
  const packed = packSession(ctx.errors, input);
  const user = assumedRoleUser(role, sessionName);
  const credentials = issueCredentials(ctx, { account: role.account, arn: user.Arn, userId: user.AssumedRoleId }, duration);
  return {
    Credentials: credentials,
    AssumedRoleUser: user,
    ...(packed !== undefined ? { PackedPolicySize: packed } : {}),
    Subject: assertion.subject,
    ...(assertion.subjectType !== undefined ? { SubjectType: assertion.subjectType } : {}),
    Issuer: assertion.issuer,
    ...(assertion.recipient !== undefined ? { Audience: assertion.recipient } : {}),
    NameQualifier: nameQualifier(assertion.issuer, role.account, input.PrincipalArn!),
  };
};
