// PLACEHOLDER (owned by the config/log helper): pino-shaped structured logger.
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
export interface Logger {
  level: LogLevel;
  trace(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  fatal(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}
const noop = () => {};
export function silentLogger(): Logger {
  const l: Logger = { level: "silent", trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop, child: () => l };
  return l;
}
