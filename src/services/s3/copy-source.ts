import { invalidArgument } from "./errors.js";

// x-amz-copy-source: "<bucket>/<key>[?versionId=<id>]", URL-encoded, with or
// without a leading slash (CopyObject API reference).

export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

export function parseCopySource(header: string | undefined): CopySource {
  const raw = header ?? "";
  const q = raw.indexOf("?");
  const path = q < 0 ? raw : raw.slice(0, q);
  let versionId: string | undefined;
  if (q >= 0) {
    const params = new URLSearchParams(raw.slice(q + 1));
    versionId = params.get("versionId") ?? undefined;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw invalidArgument("Invalid copy source encoding", "x-amz-copy-source", raw);
  }
  if (decoded.startsWith("/")) decoded = decoded.slice(1);
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) {
    throw invalidArgument("Invalid copy source object key", "x-amz-copy-source", raw);
  }
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), versionId };
}
