import type { HttpRequest, HttpResponse } from "../../protocols/http.js";
import type { InternalRouteContext } from "../service.js";
import type { SnsStore } from "./store.js";

// SNS's own endpoints under /_terrarium/sns/: the key that verifies message
// signatures (each message's SigningCertURL points here) and the outbox of
// email/SMS messages, for tests that assert what would have been sent.

const CERT = /^SimpleNotificationService-(\d{12})-([a-z0-9-]+)\.pem$/;

export function snsInternalRoutes(req: HttpRequest, path: string, ctx: InternalRouteContext<SnsStore>): HttpResponse | undefined {
  if (req.method !== "GET") return undefined;
  const cert = CERT.exec(path);
  if (cert) {
    return { status: 200, headers: { "content-type": "application/x-pem-file" }, body: ctx.storeFor(cert[1], cert[2]).signer.certificatePem() };
  }
  if (path === "outbox") {
    const account = req.query["account"]?.[0] ?? "000000000000";
    const region = req.query["region"]?.[0] ?? "us-east-1";
    return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ messages: ctx.storeFor(account, region).outbox }) };
  }
  return undefined;
}
