import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { after } from "node:test";

// A local HTTP endpoint for delivery tests (SNS HTTP/S subscriptions, EventBridge API
// destinations): records each request and answers the status it is told (200 else).

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() when it arrived. */
  at: number;
}

export async function httpEndpoint() {
  const received: ReceivedRequest[] = [];
  const waiting: ((r: ReceivedRequest) => void)[] = [];
  const statuses: number[] = [];
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      res.statusCode = statuses.shift() ?? 200;
      res.end();
      const w = waiting.shift();
      if (w) w(r);
      else received.push(r);
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  after(() => new Promise<void>((r) => http.close(() => r())));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`,
    /** Answer the next requests with these statuses (then 200). */
    answer: (...s: number[]) => statuses.push(...s),
    next(timeoutMs = 5000): Promise<ReceivedRequest> {
      const r = received.shift();
      if (r) return Promise.resolve(r);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no request arrived")), timeoutMs);
        waiting.push((got) => {
          clearTimeout(timer);
          resolve(got);
        });
      });
    },
    pending: () => received.length,
  };
}
