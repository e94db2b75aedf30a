import type { HttpRequest } from "../protocols/http.js";

// What a request's SigV4 credential scope says: who (access key), where (region)
// and to which service it was signed. Read from the Authorization header or, for
// presigned URLs, from X-Amz-Credential. Signatures are not verified (yet): a
// request without credentials, or with ones we cannot read, gets the defaults.

export interface CredentialScope {
  accessKeyId?: string;
  region?: string;
  signingName?: string;
}

const HEADER_SCOPE = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;
const SIGV2_KEY = /^AWS ([^:\s]+):/;

export function readCredentialScope(req: HttpRequest): CredentialScope {
  const authorization = req.headers["authorization"];
  if (authorization) {
    const m = HEADER_SCOPE.exec(authorization);
    if (m) return { accessKeyId: m[1], region: m[3], signingName: m[4] };
    const v2 = SIGV2_KEY.exec(authorization);
    if (v2) return { accessKeyId: v2[1] };
    return {};
  }
  const presigned = req.query["X-Amz-Credential"]?.[0];
  if (presigned) {
    const [accessKeyId, , region, signingName] = presigned.split("/");
    return { accessKeyId, region, signingName };
  }
  const v2Key = req.query["AWSAccessKeyId"]?.[0];
  return v2Key ? { accessKeyId: v2Key } : {};
}
