// Argument parsers for commander options. They throw InvalidArgumentError, which commander reports
// as a usage error naming the option (exit 2), before any command runs.
import { InvalidArgumentError } from "commander";

/** A TCP port; 0 asks the system for a free one (useful for tests and throwaway servers). */
export function parsePort(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a port number (0-65535).");
  const port = Number(value);
  if (port > 65535) throw new InvalidArgumentError("expected a port number (0-65535).");
  return port;
}
