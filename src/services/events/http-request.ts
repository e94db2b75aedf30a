import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

// One outbound HTTP request, as EventBridge makes them to API destinations and OAuth
// authorization endpoints: the headers exactly as given (no defaults added), a
// 5-second limit ("API destinations": requests time out after 5 seconds), redirects
// not followed, and the answer's body read up to 1 MiB.

export interface OutboundRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface OutboundResponse {
  status: number;
  body: string;
  /** The Retry-After header, when the endpoint sent one. */
  retryAfter?: string;
}

/** A request that got no HTTP answer, with the ERROR_CODE and ERROR_MESSAGE AWS puts on
 *  the dead-letter message (as AWS's own DLQ messages show them): SDK_CLIENT_ERROR when
 *  the endpoint cannot be reached, UNKNOWN when it does not answer within 5 seconds. */
export class OutboundFailure extends Error {
  constructor(readonly code: "SDK_CLIENT_ERROR" | "UNKNOWN", message: string) {
    super(message);
  }
}

const UNREACHABLE = "Unable to invoke ApiDestination endpoint: API destination endpoint cannot be reached.";
const TIMED_OUT = "Unable to invoke ApiDestination endpoint: Timeout calling endpoint for API Destination: socket closed.";

const TIMEOUT_MS = 5000;
const MAX_BODY = 1024 * 1024;

export function send(req: OutboundRequest): Promise<OutboundResponse> {
  const request = req.url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(req.body));
    const r = request(req.url, { method: req.method, headers, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      const retryAfter = res.headers["retry-after"];
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ...(retryAfter !== undefined ? { retryAfter } : {}) }));
      res.on("error", () => reject(new OutboundFailure("SDK_CLIENT_ERROR", UNREACHABLE)));
    });
    r.on("timeout", () => r.destroy(new OutboundFailure("UNKNOWN", TIMED_OUT)));
    r.on("error", (e) => reject(e instanceof OutboundFailure ? e : new OutboundFailure("SDK_CLIENT_ERROR", UNREACHABLE)));
    r.end(req.body);
  });
}
