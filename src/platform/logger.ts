// A small leveled logger that writes one line per event to stderr (stdout stays for
// the banner). No global instance: the server creates one and passes it along.

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  level: LogLevel;
  debug(message: string, extra?: unknown): void;
  info(message: string, extra?: unknown): void;
  warn(message: string, extra?: unknown): void;
  error(message: string, extra?: unknown): void;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l + "\n")): Logger {
  const log = (at: LogLevel, message: string, extra?: unknown) => {
    if (ORDER[at] < ORDER[logger.level]) return;
    let line = `${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} ${message}`;
    if (extra instanceof Error) line += `\n${extra.stack ?? extra.message}`;
    else if (extra !== undefined) line += ` ${JSON.stringify(extra)}`;
    write(line);
  };
  const logger: Logger = {
    level,
    debug: (m, e) => log("debug", m, e),
    info: (m, e) => log("info", m, e),
    warn: (m, e) => log("warn", m, e),
    error: (m, e) => log("error", m, e),
  };
  return logger;
}

export function isLogLevel(s: string): s is LogLevel {
  return s in ORDER;
}
