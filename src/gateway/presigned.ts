import type { HttpRequest } from "../protocols/http.js";
import { ServiceError } from "../protocols/service-error.js";

// SigV4 query authentication (presigned URLs): a URL is good from X-Amz-Date for
// X-Amz-Expires seconds of real wall-clock time, since clients sign with theirs
// (AWS General Reference, "Authenticating requests: using query parameters").
// Signatures themselves are not verified yet.

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** SigV4 presigned URLs last a week at most. */
const MAX_EXPIRES = 604_800;

/** A presigned URL past its time, or with an X-Amz-Expires AWS refuses. */
export function expiredPresignedUrl(req: HttpRequest, now = Date.now()): ServiceError | undefined {
  if (req.query["X-Amz-Algorithm"]?.[0] !== "AWS4-HMAC-SHA256") return undefined;
  const date = AMZ_DATE.exec(req.query["X-Amz-Date"]?.[0] ?? "");
  const expires = Number(req.query["X-Amz-Expires"]?.[0]);
  if (!date || !Number.isFinite(expires)) return undefined;
  if (expires > MAX_EXPIRES) {
    return new ServiceError("AuthorizationQueryParametersError", `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES}`, { status: 400 });
  }
  if (expires < 0) return new ServiceError("AuthorizationQueryParametersError", "X-Amz-Expires must be non-negative", { status: 400 });
  const signedAt = Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]);
  const expiresAt = signedAt + expires * 1000;
  if (now <= expiresAt) return undefined;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  return new ServiceError("AccessDenied", "Request has expired", {
    status: 403,
    fields: { "X-Amz-Expires": String(expires), Expires: iso(expiresAt), ServerTime: iso(now) },
  });
}
