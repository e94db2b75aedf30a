#!/usr/bin/env -S node --initial-old-space-size=64
// The `terrarium` command: start the server, or talk to a running one.
import { spawn } from "node:child_process";

const USAGE = `usage:
  terrarium [start] [options]     start the server (terrarium start --help for options)
  terrarium aws <args...>         run the AWS CLI against Terrarium with dummy credentials
  terrarium status                print the running server's health
  terrarium reset [service]       reset all state, or one service's

The server is found at $TERRARIUM_ENDPOINT, else http://$TERRARIUM_HOST:$TERRARIUM_PORT
(default http://127.0.0.1:4566).`;

const [command, ...args] = process.argv.slice(2);

function endpoint() {
  if (process.env.TERRARIUM_ENDPOINT) return process.env.TERRARIUM_ENDPOINT.replace(/\/+$/, "");
  const host = process.env.TERRARIUM_HOST && process.env.TERRARIUM_HOST !== "0.0.0.0" ? process.env.TERRARIUM_HOST : "127.0.0.1";
  return `http://${host}:${process.env.TERRARIUM_PORT ?? "4566"}`;
}

async function request(method, path) {
  try {
    const res = await fetch(endpoint() + path, { method });
    const text = await res.text();
    process.stdout.write(text.endsWith("\n") ? text : text + "\n");
    process.exit(res.ok ? 0 : 1);
  } catch (error) {
    process.stderr.write(`terrarium: no server answers at ${endpoint()} (${error.cause?.code ?? error.message})\n`);
    process.exit(1);
  }
}

function runAwsCli(cliArgs) {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID || "test",
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY || "test",
    AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION || process.env.AWS_REGION || "us-east-1",
  };
  const child = spawn("aws", ["--endpoint-url", endpoint(), ...cliArgs], { stdio: "inherit", env });
  child.on("error", (error) => {
    if (error.code === "ENOENT") {
      process.stderr.write(
        "terrarium: the AWS CLI is not installed (no `aws` on PATH).\n" +
          "Install it (e.g. `pip install awscli` or your distribution's awscli package) and try again.\n",
      );
      process.exit(127);
    }
    process.stderr.write(`terrarium: could not run the AWS CLI: ${error.message}\n`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

switch (command) {
  case "aws":
    runAwsCli(args);
    break;
  case "status":
    await request("GET", "/_terrarium/health");
    break;
  case "reset":
    await request("POST", args[0] ? `/_terrarium/reset?service=${encodeURIComponent(args[0])}` : "/_terrarium/reset");
    break;
  case "help":
  case "--help":
  case "-h":
    process.stdout.write(USAGE + "\n");
    break;
  case "start":
    process.argv.splice(2, 1);
    await import("../dist/main.js");
    break;
  default:
    if (command === undefined || command.startsWith("-")) {
      await import("../dist/main.js");
      break;
    }
    process.stderr.write(`terrarium: unknown command '${command}'\n${USAGE}\n`);
    process.exit(2);
}
