// chatctl's own errors: stable codes (CHATCTL_E_<AREA>_<WHAT>) and the exit code each maps to.
// Only cli/main.ts turns them into a process exit code (DESIGN.md "CLI conventions").

export const ExitCode = {
  OK: 0,
  /** A check or operation failed. */
  FAILED: 1,
  /** Usage or configuration error. */
  USAGE: 2,
  /** Could not reach the server or the storage. */
  UNREACHABLE: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class ChatctlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode = ExitCode.FAILED,
    /** What the user should do about it, shown under the message. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = "ChatctlError";
  }
}

export class UsageError extends ChatctlError {
  constructor(message: string, hint?: string) {
    super("CHATCTL_E_USAGE", message, ExitCode.USAGE, hint);
    this.name = "UsageError";
  }
}

/** A configuration problem: names the file, the key path (and line when known), what was expected. */
export class ConfigError extends ChatctlError {
  constructor(
    readonly file: string | undefined,
    readonly key: string,
    readonly expected: string,
    readonly fix: string,
    readonly line?: number,
  ) {
    const where = `${file ?? "<built-in defaults>"}${line !== undefined ? `:${line}` : ""}`;
    super("CHATCTL_E_CONFIG_INVALID", `${where}: ${key}: ${expected}`, ExitCode.USAGE, fix);
    this.name = "ConfigError";
  }
}

export class UnreachableError extends ChatctlError {
  constructor(message: string, hint?: string) {
    super("CHATCTL_E_UNREACHABLE", message, ExitCode.UNREACHABLE, hint);
    this.name = "UnreachableError";
  }
}
