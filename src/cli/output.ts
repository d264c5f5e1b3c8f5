// Everything the CLI prints goes through here: the one module that imports chalk, so the colour
// decision is made once (STYLE-ANCHORS §4.4 rule 9). Commands collect plain data and hand it to a
// renderer; under --json the data is printed verbatim so scripts never parse human text.
import { Chalk, type ChalkInstance } from "chalk";

export interface OutputStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface Output {
  readonly color: boolean;
  /** A line of human output on stdout. */
  line(text?: string): void;
  /** One JSON document on stdout (the --json form of a command's result). */
  json(value: unknown): void;
  /** Items one per line, then a dimmed summary line (e.g. "2 users on example.org"). */
  list(items: readonly string[], summary: string): void;
  /** Text already laid out by its producer (e.g. the effective configuration as YAML). */
  block(text: string): void;
  /** A completed action, e.g. "created alice@example.org". */
  done(text: string): void;
  /** A notice on stderr that is not an error (an aborted prompt, a forced exit). */
  notice(text: string): void;
  /** `chatctl: <message>` on stderr, and the hint (what to do) on the next line. */
  error(message: string, hint?: string): void;
  /** Extra diagnostic text on stderr (a stack trace at debug level). */
  detail(text: string): void;
}

/**
 * Colour only when writing to a terminal, the user did not pass --no-color, and NO_COLOR is unset
 * or empty (https://no-color.org: "present and not an empty string" disables colour).
 */
export function shouldUseColor(opts: { isTTY: boolean; env: NodeJS.ProcessEnv; colorFlag: boolean }): boolean {
  const noColor = opts.env.NO_COLOR;
  return opts.isTTY && opts.colorFlag && (noColor === undefined || noColor === "");
}

export function createOutput(streams: OutputStreams, color: boolean): Output {
  // Level 1 (16 colours) is enough for what we print and works on every terminal.
  const c: ChalkInstance = new Chalk({ level: color ? 1 : 0 });
  const out = (text: string) => streams.stdout.write(`${text}\n`);
  const err = (text: string) => streams.stderr.write(`${text}\n`);
  return {
    color,
    line: (text = "") => out(text),
    json: (value) => out(JSON.stringify(value, null, 2)),
    list(items, summary) {
      for (const item of items) out(item);
      out(c.dim(summary));
    },
    block: (text) => void streams.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    done: (text) => out(`${c.green("✓")} ${text}`),
    notice: (text) => err(`${c.yellow("chatctl:")} ${text}`),
    error(message, hint) {
      err(`${c.red.bold("chatctl:")} ${message}`);
      if (hint) err(c.dim(`hint: ${hint}`));
    },
    detail: (text) => err(c.dim(text)),
  };
}
