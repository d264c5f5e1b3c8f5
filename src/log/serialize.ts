// Turns whatever a caller logs into a plain, JSON-safe tree: secrets redacted by key name at any
// depth, errors reduced to their useful fields, cycles and runaway nesting cut off. Runs only for
// lines that are actually written, so it may allocate freely.

/** Keys whose values never reach a log line, matched case-insensitively at any depth. */
export const REDACTED_KEYS = [
  "password",
  "pass",
  "secret",
  "token",
  "storedKey",
  "serverKey",
  "saslPayload",
  "authorization",
] as const;

export const REDACTED = "[Redacted]";

const redacted = new Set<string>(REDACTED_KEYS.map((k) => k.toLowerCase()));

/** Nesting below this depth is summarised, so one huge object cannot flood the log. */
const MAX_DEPTH = 8;
/** Longer arrays keep their head and say how much was left out. */
const MAX_ITEMS = 100;

export function isRedactedKey(key: string): boolean {
  return redacted.has(key.toLowerCase());
}

/** The loggable form of one field value: the key decides redaction, the value is walked. */
export function loggableField(key: string, value: unknown): unknown {
  return isRedactedKey(key) ? REDACTED : loggable(value, 0, new Set());
}

/** A fresh object holding the loggable form of every own enumerable field of `fields`. */
export function loggableFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value === undefined || typeof value === "function" || typeof value === "symbol") continue;
    out[key] = loggableField(key, value);
  }
  return out;
}

export interface SerializedError {
  type: string;
  message: string;
  code?: unknown;
  stack?: string;
  [extra: string]: unknown;
}

function loggable(value: unknown, depth: number, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return null;
  const obj = value as object;
  if (ancestors.has(obj)) return "[Circular]";
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
  if (ArrayBuffer.isView(obj)) return `[${obj.constructor.name} ${obj.byteLength} bytes]`;
  if (depth >= MAX_DEPTH) return Array.isArray(obj) ? "[Array]" : "[Object]";
  ancestors.add(obj);
  try {
    if (obj instanceof Error) return serializeErrorWith(obj, depth, ancestors);
    if (Array.isArray(obj)) return loggableArray(obj, depth, ancestors);
    if (obj instanceof Map) return loggableEntries(obj.entries(), depth, ancestors);
    if (obj instanceof Set) return loggableArray([...obj], depth, ancestors);
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    // Value objects (Jid, URL) know their own compact form; walk what they return.
    if (typeof toJSON === "function") return loggable(toJSON.call(obj), depth + 1, ancestors);
    return loggableEntries(Object.entries(obj), depth, ancestors);
  } finally {
    ancestors.delete(obj);
  }
}

function loggableArray(items: readonly unknown[], depth: number, ancestors: Set<object>): unknown[] {
  const out = items.slice(0, MAX_ITEMS).map((item) => loggable(item, depth + 1, ancestors) ?? null);
  if (items.length > MAX_ITEMS) out.push(`[… ${items.length - MAX_ITEMS} more]`);
  return out;
}

function loggableEntries(entries: Iterable<[unknown, unknown]>, depth: number, ancestors: Set<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of entries) {
    const key = String(rawKey);
    if (isRedactedKey(key)) {
      out[key] = REDACTED;
      continue;
    }
    const v = loggable(value, depth + 1, ancestors);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** An Error as a plain object: type, message, code and stack, plus its other own fields and cause. */
export function serializeError(err: Error): SerializedError {
  return serializeErrorWith(err, 0, new Set([err]));
}

function serializeErrorWith(err: Error, depth: number, ancestors: Set<object>): SerializedError {
  const out: SerializedError = { type: err.name, message: err.message };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out.code = loggable(code, depth + 1, ancestors);
  if (err.stack !== undefined) out.stack = err.stack;
  // Node's system errors carry errno, syscall, address…; ConfigError carries file, key, line.
  for (const [key, value] of Object.entries(err)) {
    if (key in out) continue;
    out[key] = isRedactedKey(key) ? REDACTED : loggable(value, depth + 1, ancestors);
  }
  if (err.cause !== undefined) out.cause = loggable(err.cause, depth + 1, ancestors);
  if (err instanceof AggregateError) out.errors = loggableArray(err.errors, depth, ancestors);
  return out;
}
