import type {
  DecodeAuthorizationMessageCommandInput,
  DecodeAuthorizationMessageCommandOutput,
  GetWebIdentityTokenCommandInput,
  GetWebIdentityTokenCommandOutput,
} from "@aws-sdk/client-sts";
import type { StsHandler } from "../types.js";

// Operations whose answer follows from what Terrarium does not do (yet): it never
// encodes authorization failure messages, so none can be decoded; and outbound web
// identity federation (IAM EnableOutboundWebIdentityFederation) is never enabled.
// The messages are the STS model's descriptions of these errors.

export const DecodeAuthorizationMessage: StsHandler<
  DecodeAuthorizationMessageCommandInput,
  DecodeAuthorizationMessageCommandOutput
> = (_input, ctx) => {
  throw ctx.errors.InvalidAuthorizationMessageException(
    "The error returned if the message passed to DecodeAuthorizationMessage was invalid. This can happen if the token contains invalid characters, such as line breaks, or if the message has expired.",
  );
};

export const GetWebIdentityToken: StsHandler<GetWebIdentityTokenCommandInput, GetWebIdentityTokenCommandOutput> = (_input, ctx) => {
  throw ctx.errors.OutboundWebIdentityFederationDisabledException(
    "The outbound web identity federation feature is not enabled for this account. To use this feature, you must first enable it through the Amazon Web Services Management Console or API.",
  );
};
