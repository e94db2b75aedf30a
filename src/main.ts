import { CONFIG_HELP, ConfigError, parseConfig } from "./config.js";
import { loadModelIndex } from "./models/load.js";
import { startWithConfig, VERSION } from "./server.js";
import { serviceLoaders } from "./services/registry.js";

// `npm start` / `terrarium start`: run the server until SIGINT or SIGTERM.

async function main(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`terrarium start [options]\n${CONFIG_HELP}\n`);
    return;
  }
  let config;
  try {
    config = parseConfig(argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`terrarium: ${error.message}\n${CONFIG_HELP}\n`);
      process.exit(2);
    }
    throw error;
  }
  const terrarium = await startWithConfig(config);
  const implemented = loadModelIndex().map((s) => s.name).filter((name) => name in serviceLoaders);
  process.stdout.write(
    `Terrarium ${VERSION} listening on ${terrarium.endpoint}\n` +
      `  services: ${implemented.join(", ")}\n` +
      `  state: ${config.dataDir ? `persisted in ${config.dataDir}` : "in memory"}; account ${config.accountId}, region ${config.region}\n` +
      // LocalStack's readiness line, which testcontainers and other tools wait for.
      "Ready.\n",
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping Terrarium\n`);
    terrarium.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") process.stderr.write(`terrarium: the port is already in use (${(error as Error).message})\n`);
  else process.stderr.write(`terrarium: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
