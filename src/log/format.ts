// The two line formats. Both receive fields that are already loggable (see serialize.ts), so they
// only arrange text: JSON for machines, `HH:MM:SS.mmm LEVEL [bindings] message key=value` for a
// person at a terminal.
import type { LogLevel } from "./logger.js";

export type WrittenLevel = Exclude<LogLevel, "silent">;

/** Names the logger core may not lose to a caller's field of the same name. */
const CORE_KEYS = new Set(["level", "time", "msg"]);

/** One JSON line: level, time and msg first, then the bindings, then the call's own fields. */
export function jsonLine(
  level: WrittenLevel,
  time: Date,
  msg: string | undefined,
  bindings: Record<string, unknown>,
  fields: Record<string, unknown> | undefined,
): string {
  const record: Record<string, unknown> = { level, time: time.toISOString() };
  if (msg !== undefined) record.msg = msg;
  for (const key of Object.keys(bindings)) if (!CORE_KEYS.has(key)) record[key] = bindings[key];
  if (fields) for (const key of Object.keys(fields)) if (!CORE_KEYS.has(key)) record[key] = fields[key];
  return JSON.stringify(record) + "\n";
}

const ESC = "\x1b[";
const RESET = `${ESC}0m`;
const DIM = `${ESC}2m`;
const LEVEL_COLOUR: Record<WrittenLevel, string> = {
  trace: `${ESC}90m`,
  debug: `${ESC}36m`,
  info: `${ESC}32m`,
  warn: `${ESC}33m`,
  error: `${ESC}31m`,
  fatal: `${ESC}1;35m`,
};

/** One human line; stacks of logged errors follow on indented lines. */
export function prettyLine(
  level: WrittenLevel,
  time: Date,
  msg: string | undefined,
  bindings: Record<string, unknown>,
  fields: Record<string, unknown> | undefined,
  colour: boolean,
): string {
  const paint = (code: string, text: string) => (colour ? code + text + RESET : text);
  let line = paint(DIM, clock(time)) + " " + paint(LEVEL_COLOUR[level], level.toUpperCase().padEnd(5));
  const bound = pairs(bindings);
  if (bound.length > 0) line += " " + paint(DIM, `[${bound.join(" ")}]`);
  if (msg !== undefined && msg !== "") line += " " + msg;
  const stacks: string[] = [];
  if (fields) {
    for (const [key, value] of Object.entries(fields)) {
      line += " " + paint(DIM, key + "=") + prettyValue(value);
      const stack = isSerializedError(value) ? value.stack : undefined;
      if (typeof stack === "string") stacks.push(stack.split("\n").slice(1).join("\n"));
    }
  }
  for (const stack of stacks) if (stack !== "") line += "\n" + paint(DIM, stack);
  return line + "\n";
}

function pairs(record: Record<string, unknown>): string[] {
  return Object.entries(record).map(([key, value]) => `${key}=${prettyValue(value)}`);
}

function prettyValue(value: unknown): string {
  if (typeof value === "string") return /^[^\s"=\[\]]+$/.test(value) ? value : JSON.stringify(value);
  if (isSerializedError(value)) {
    const code = value.code !== undefined ? ` (${String(value.code)})` : "";
    return JSON.stringify(`${value.type}: ${value.message}${code}`);
  }
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function isSerializedError(value: unknown): value is { type: string; message: string; code?: unknown; stack?: unknown } {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { type?: unknown }).type === "string" &&
    typeof (value as { message?: unknown }).message === "string" &&
    "stack" in value
  );
}

/** Local wall-clock time, HH:MM:SS.mmm: the date is in the journal or the file name. */
function clock(time: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}.${String(time.getMilliseconds()).padStart(3, "0")}`;
}
