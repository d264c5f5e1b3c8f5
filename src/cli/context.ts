// What a command's run(opts, ctx) may use. Everything that touches the process (streams, TTY,
// environment, signals, prompts) comes through here, so commands stay testable in-process with
// fakes and never reach for `process` themselves.
import type { Command } from "commander";
import type { Config } from "../config/types.js";
import { ChatctlError, ExitCode } from "../errors.js";
import type { LogLevel } from "../log/logger.js";
import type { Output } from "./output.js";

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** An interactive terminal: prompts are allowed and colour is used (unless disabled). */
  isTTY: boolean;
  env?: NodeJS.ProcessEnv;
}

/** The program-level options every command sees (commander's optsWithGlobals()). */
export interface GlobalOptions {
  config?: string;
  domain?: string;
  dataDir?: string;
  logLevel?: LogLevel;
  /** false with --no-color. */
  color: boolean;
}

/** Configuration overrides keyed by config path, e.g. { "listeners.c2s.port": 5222 }. */
export type ConfigFlags = Record<string, unknown>;

export type SignalName = "SIGHUP" | "SIGTERM" | "SIGINT";

export interface Prompts {
  /** Hidden input; resolves with what was typed. */
  password(message: string): Promise<string>;
  confirm(message: string, defaultAnswer: boolean): Promise<boolean>;
  /** One line of visible text (e.g. the announcement of `chatctl broadcast`). */
  text(message: string): Promise<string>;
}

export interface CliContext {
  readonly out: Output;
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly isTTY: boolean;
  readonly globals: GlobalOptions;
  readonly prompts: Prompts;
  /** file → environment → global flags → `extra` (command flags), validated. Throws ConfigError. */
  loadConfig(extra?: ConfigFlags): Promise<Config>;
  /** Subscribes to a process signal; returns the unsubscribe function. */
  onSignal(signal: SignalName, handler: () => void): () => void;
  /**
   * Asks main() to end the process with the returned code even though work is still pending
   * (a second Ctrl-C while the server is closing). Only main() acts on it.
   */
  requestForcedExit(): void;
}

/** The global flags as config-path overrides; unset flags are left out so the file/env win. */
export function globalConfigFlags(globals: GlobalOptions): ConfigFlags {
  const flags: ConfigFlags = {};
  if (globals.domain !== undefined) flags.domain = globals.domain;
  if (globals.dataDir !== undefined) flags.dataDir = globals.dataDir;
  if (globals.logLevel !== undefined) flags["log.level"] = globals.logLevel;
  return flags;
}

export interface ProcessContextOptions {
  io: CliIO;
  out: Output;
  globals: GlobalOptions;
  /** Set when a command requested a forced exit. */
  onForcedExit: () => void;
}

/** The real context: config from disk, process signals, @inquirer/prompts on the terminal. */
export function createContext({ io, out, globals, onForcedExit }: ProcessContextOptions): CliContext {
  const env = io.env ?? process.env;
  return {
    out,
    stdin: io.stdin,
    stdout: io.stdout,
    stderr: io.stderr,
    isTTY: io.isTTY,
    globals,
    prompts: terminalPrompts(io),
    async loadConfig(extra = {}) {
      // Loaded lazily: `chatctl --help` and the man-page build must not need the config stack.
      const { loadConfig } = await import("../config/load.js");
      const explicit = globals.config !== undefined;
      return loadConfig({
        ...(explicit ? { configPath: globals.config } : {}),
        explicit,
        env,
        flags: { ...globalConfigFlags(globals), ...extra },
      });
    },
    onSignal(signal, handler) {
      process.on(signal, handler);
      return () => void process.off(signal, handler);
    },
    requestForcedExit: onForcedExit,
  };
}

function terminalPrompts(io: CliIO): Prompts {
  // Prompts render on stderr so that stdout stays clean for output that may be redirected.
  const ask = async <T>(prompt: (context: PromptContext) => Promise<T>): Promise<T> => {
    // inquirer waits forever on a terminal that has gone away (stdin ended: hang-up, closed pipe);
    // that is the user leaving, so it aborts the prompt like Ctrl-C does.
    const gone = new AbortController();
    const leave = () => gone.abort();
    io.stdin.once("end", leave).once("close", leave);
    if ((io.stdin as { readableEnded?: boolean }).readableEnded) gone.abort();
    try {
      return await aborting(prompt({ input: io.stdin, output: io.stderr, clearPromptOnDone: false, signal: gone.signal }));
    } finally {
      io.stdin.off("end", leave).off("close", leave);
    }
  };
  return {
    async password(message) {
      const { password } = await import("@inquirer/prompts");
      return await ask((context) => password({ message, mask: false }, context));
    },
    async confirm(message, defaultAnswer) {
      const { confirm } = await import("@inquirer/prompts");
      return await ask((context) => confirm({ message, default: defaultAnswer }, context));
    },
    async text(message) {
      const { input } = await import("@inquirer/prompts");
      return await ask((context) => input({ message }, context));
    },
  };
}

interface PromptContext {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  clearPromptOnDone: boolean;
  signal: AbortSignal;
}

/** Ctrl-C or Ctrl-D inside a prompt is the user changing their mind, not a crash. */
async function aborting<T>(prompt: Promise<T>): Promise<T> {
  try {
    return await prompt;
  } catch (err) {
    if (err instanceof Error && (err.name === "ExitPromptError" || err.name === "AbortPromptError")) {
      throw new ChatctlError("CHATCTL_E_ABORTED", "aborted at the prompt; nothing was changed", ExitCode.FAILED);
    }
    throw err;
  }
}

/**
 * How a command's action runs its pure run(): main() builds the context at action time (after the
 * global flags are parsed) and keeps the exit code run() resolves with.
 */
export type ActionRunner = (cmd: Command, run: (ctx: CliContext) => Promise<number>) => Promise<void>;
