// A pino-shaped structured logger without the dependency: level methods taking `(obj, msg)` or
// `(msg)`, child loggers that carry bindings onto every line, redaction of secrets by key name,
// JSON lines for machines and a short coloured line for people (STYLE-ANCHORS §3.5, §4.4 rule 10).
import { jsonLine, prettyLine, type WrittenLevel } from "./format.js";
import { loggableFields, serializeError } from "./serialize.js";

export { REDACTED, REDACTED_KEYS } from "./serialize.js";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = "json" | "pretty";

export interface Logger {
  /** The least severe level written; assigning it changes this logger (not its parent or existing children). */
  level: LogLevel;
  trace(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  fatal(obj: object | string, msg?: string): void;
  /** A logger writing the same way, with `bindings` added to (or replacing same-named) parent bindings. */
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where lines go; process.stderr by default, so stdout stays clean for command output. */
  stream?: NodeJS.WritableStream;
  /** Fields written on every line (e.g. { host: "example.org" }). */
  bindings?: Record<string, unknown>;
  /** Force colour on or off in the pretty format; by default on only for a TTY with NO_COLOR unset. */
  colour?: boolean;
  /** The clock stamped on lines; tests inject a fixed one. */
  now?: () => Date;
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && (LOG_LEVELS as readonly string[]).includes(value);
}

const SEVERITY: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

export function createLogger(options: LoggerOptions): Logger {
  const stream = options.stream ?? process.stderr;
  const colour = options.format === "pretty" && (options.colour ?? wantsColour(stream));
  const sink: Sink = { stream, format: options.format, colour, now: options.now ?? (() => new Date()), state: streamState(stream) };
  return new StructuredLogger(sink, options.level, loggableFields(options.bindings ?? {}));
}

/**
 * Whether `log` writes lines of `level`. The level methods already return at once when disabled;
 * this is for call sites whose fields cost something to compute (a native call, a serialisation).
 */
export function isLevelEnabled(log: Logger, level: Exclude<LogLevel, "silent">): boolean {
  return SEVERITY[level] >= SEVERITY[log.level];
}

const noop = () => {};
export function silentLogger(): Logger {
  const l: Logger = { level: "silent", trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop, child: () => l };
  return l;
}

/** What a logger and all its children share: one destination and one format. */
interface Sink {
  readonly stream: NodeJS.WritableStream;
  readonly format: LogFormat;
  readonly colour: boolean;
  readonly now: () => Date;
  readonly state: StreamState;
}

class StructuredLogger implements Logger {
  #level: LogLevel = "info";
  #threshold = SEVERITY.info;

  constructor(
    private readonly sink: Sink,
    level: LogLevel,
    /** Already loggable (redacted, serialised) so a busy session's child pays for it once. */
    private readonly bindings: Record<string, unknown>,
  ) {
    this.level = level;
  }

  get level(): LogLevel {
    return this.#level;
  }

  set level(level: LogLevel) {
    if (!isLogLevel(level)) throw new TypeError(`unknown log level ${JSON.stringify(level)}; expected one of ${LOG_LEVELS.join(", ")}`);
    this.#level = level;
    this.#threshold = SEVERITY[level];
  }

  // A disabled level returns after one comparison: no allocation, no formatting.
  trace(obj: object | string, msg?: string): void {
    if (this.#threshold <= 10) this.#write("trace", obj, msg);
  }
  debug(obj: object | string, msg?: string): void {
    if (this.#threshold <= 20) this.#write("debug", obj, msg);
  }
  info(obj: object | string, msg?: string): void {
    if (this.#threshold <= 30) this.#write("info", obj, msg);
  }
  warn(obj: object | string, msg?: string): void {
    if (this.#threshold <= 40) this.#write("warn", obj, msg);
  }
  error(obj: object | string, msg?: string): void {
    if (this.#threshold <= 50) this.#write("error", obj, msg);
  }
  fatal(obj: object | string, msg?: string): void {
    if (this.#threshold <= 60) this.#write("fatal", obj, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new StructuredLogger(this.sink, this.#level, { ...this.bindings, ...loggableFields(bindings) });
  }

  #write(level: WrittenLevel, obj: object | string, msg: string | undefined): void {
    const { sink } = this;
    if (sink.state.closed) return;
    let fields: Record<string, unknown> | undefined;
    if (typeof obj === "string") {
      msg = msg === undefined ? obj : `${obj} ${msg}`;
    } else if (obj instanceof Error) {
      // log.error(err) means log.error({ err }, err.message), as in pino.
      fields = { err: serializeError(obj) };
      msg ??= obj.message;
    } else {
      fields = loggableFields(obj as Record<string, unknown>);
    }
    const time = sink.now();
    const line =
      sink.format === "json"
        ? jsonLine(level, time, msg, this.bindings, fields)
        : prettyLine(level, time, msg, this.bindings, fields, sink.colour);
    writeSafely(sink.stream, sink.state, line);
  }
}

function wantsColour(stream: NodeJS.WritableStream): boolean {
  const noColour = process.env.NO_COLOR;
  // no-color.org: an empty NO_COLOR counts as unset.
  return (stream as { isTTY?: boolean }).isTTY === true && (noColour === undefined || noColour === "");
}

/** Per destination stream, shared by every logger writing to it. */
interface StreamState {
  closed: boolean;
}

const states = new WeakMap<NodeJS.WritableStream, StreamState>();

/**
 * A stream that fails (EPIPE on a closed stderr, a destroyed file stream) must not take the
 * server down with an unhandled 'error' event: one listener per stream marks it closed, and
 * logging to it becomes a no-op.
 */
function streamState(stream: NodeJS.WritableStream): StreamState {
  let state = states.get(stream);
  if (!state) {
    const s: StreamState = { closed: false };
    stream.on("error", () => {
      s.closed = true;
    });
    states.set(stream, s);
    state = s;
  }
  return state;
}

function writeSafely(stream: NodeJS.WritableStream, state: StreamState, line: string): void {
  const w = stream as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
  // Writing after end() or destroy() would emit an asynchronous error; skip instead.
  if (w.destroyed === true || w.writableEnded === true || w.writable === false) {
    state.closed = true;
    return;
  }
  try {
    w.write(line);
  } catch {
    state.closed = true;
  }
}
