// The ceiling: the least work one Node process can do per HTTP request here.
// Reads the whole request body (as any real server must) and answers a fixed
// body: a small XML one by default (the raw load), or, for a workload's SDK
// row, the canned answers the bench sets through POST /_bare/answers (a JSON
// list of {amzTarget?, status, headers, body}; an empty list restores the
// default). With one answer it is sent to every request; with several, each
// names the X-Amz-Target it answers (an operation of several calls, such as
// ReceiveMessage then DeleteMessageBatch), the one header lookup a router needs.
// Usage: node bench/bare-server.mjs --port <p> [--host 127.0.0.1]
import { createServer } from "node:http";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
};
const port = Number(arg("--port", "4570"));
const host = arg("--host", "127.0.0.1");

const CONTROL_PATH = "/_bare/answers";

/** Body as a Buffer and its content-length, computed once, not per request. */
function prepared(status, headers, body) {
  const bytes = Buffer.from(body);
  return { status, headers: { ...headers, "content-length": String(bytes.length) }, body: bytes };
}

const DEFAULT = prepared(200, { "content-type": "text/xml" }, "<Response><Result>ok</Result></Response>\n");
const UNMATCHED = prepared(400, { "content-type": "application/x-amz-json-1.0" }, '{"__type":"BareServer#NoCannedAnswer","message":"no canned answer for this X-Amz-Target"}');

/** The answer to every request, or undefined when answers are chosen by X-Amz-Target. */
let single = DEFAULT;
/** X-Amz-Target -> answer, when there are several. */
let byTarget = new Map();

function setAnswers(list) {
  const answers = list.map((a) => ({ amzTarget: a.amzTarget, answer: prepared(a.status, a.headers, a.body) }));
  if (answers.length <= 1) {
    single = answers[0]?.answer ?? DEFAULT;
    byTarget = new Map();
  } else {
    single = undefined;
    byTarget = new Map(answers.map((a) => [a.amzTarget, a.answer]));
  }
}

function control(req, res) {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    try {
      setAnswers(JSON.parse(Buffer.concat(chunks).toString("utf8") || "[]"));
      res.writeHead(204).end();
    } catch (error) {
      res.writeHead(400, { "content-type": "text/plain" }).end(String(error));
    }
  });
}

const server = createServer((req, res) => {
  if (req.url === CONTROL_PATH) return control(req, res);
  const answer = single ?? byTarget.get(req.headers["x-amz-target"]) ?? UNMATCHED;
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, host, () => process.stdout.write(`bare server listening on http://${host}:${port}\nReady.\n`));
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  });
}
