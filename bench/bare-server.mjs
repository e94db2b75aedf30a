// The ceiling: the least work one Node process can do per HTTP request here.
// Reads the whole request body (as any real server must) and answers a fixed
// small body. Usage: node bench/bare-server.mjs --port <p> [--host 127.0.0.1]
import { createServer } from "node:http";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
};
const port = Number(arg("--port", "4570"));
const host = arg("--host", "127.0.0.1");

const body = Buffer.from("<Response><Result>ok</Result></Response>\n");
const headers = { "content-type": "text/xml", "content-length": String(body.length) };

const server = createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(200, headers);
    res.end(body);
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
