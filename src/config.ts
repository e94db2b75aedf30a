import { isLogLevel, type LogLevel } from "./platform/logger.js";

// One typed Config, parsed once from flags and environment and passed down.

export interface Config {
  host: string;
  port: number;
  /** Persist state here (SQLite file with WAL, plus blobs); in memory when undefined. */
  dataDir?: string;
  /** Region for requests whose credential scope names none. */
  region: string;
  /** Account for requests whose access key maps to no account. */
  accountId: string;
  logLevel: LogLevel;
  /** Lambda's account concurrency limit per region (GetAccountSettings ConcurrentExecutions);
   *  AWS's default, 1000, when undefined. A small one lets tests reach the account limit. */
  lambdaConcurrentExecutions?: number;
}

export const DEFAULT_CONFIG: Config = {
  host: "127.0.0.1",
  port: 4566,
  region: "us-east-1",
  accountId: "000000000000",
  logLevel: "info",
};

export class ConfigError extends Error {}

const FLAGS: Record<string, { env: string; key: keyof Config }> = {
  "--port": { env: "TERRARIUM_PORT", key: "port" },
  "--host": { env: "TERRARIUM_HOST", key: "host" },
  "--data-dir": { env: "TERRARIUM_DATA_DIR", key: "dataDir" },
  "--region": { env: "TERRARIUM_REGION", key: "region" },
  "--account-id": { env: "TERRARIUM_ACCOUNT_ID", key: "accountId" },
  "--log-level": { env: "TERRARIUM_LOG_LEVEL", key: "logLevel" },
  "--lambda-concurrent-executions": { env: "TERRARIUM_LAMBDA_CONCURRENT_EXECUTIONS", key: "lambdaConcurrentExecutions" },
};

export const CONFIG_HELP = Object.entries(FLAGS)
  .map(([flag, { env }]) => `  ${flag.padEnd(14)} (env ${env})`)
  .join("\n");

/** Flags win over environment variables, which win over defaults. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Partial<Record<keyof Config, string>> = {};
  for (const { env: name, key } of Object.values(FLAGS)) {
    if (env[name]) raw[key] = env[name];
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS[flag];
    if (!spec) throw new ConfigError(`unknown option ${flag}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value`);
    raw[spec.key] = value;
  }
  return buildConfig(raw);
}

export function buildConfig(raw: Partial<Record<keyof Config, string | number>>): Config {
  const config: Config = { ...DEFAULT_CONFIG };
  if (raw.host !== undefined) config.host = String(raw.host);
  if (raw.port !== undefined) {
    const port = Number(raw.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`invalid port ${raw.port}`);
    config.port = port;
  }
  if (raw.dataDir !== undefined && raw.dataDir !== "") config.dataDir = String(raw.dataDir);
  if (raw.region !== undefined) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(String(raw.region))) throw new ConfigError(`invalid region ${raw.region}`);
    config.region = String(raw.region);
  }
  if (raw.accountId !== undefined) {
    if (!/^\d{12}$/.test(String(raw.accountId))) throw new ConfigError(`account id must be 12 digits: ${raw.accountId}`);
    config.accountId = String(raw.accountId);
  }
  if (raw.logLevel !== undefined) {
    const level = String(raw.logLevel).toLowerCase();
    if (!isLogLevel(level)) throw new ConfigError(`invalid log level ${raw.logLevel}`);
    config.logLevel = level;
  }
  if (raw.lambdaConcurrentExecutions !== undefined) {
    const limit = Number(raw.lambdaConcurrentExecutions);
    if (!Number.isInteger(limit) || limit < 1) throw new ConfigError(`invalid Lambda concurrent executions ${raw.lambdaConcurrentExecutions}`);
    config.lambdaConcurrentExecutions = limit;
  }
  return config;
}
