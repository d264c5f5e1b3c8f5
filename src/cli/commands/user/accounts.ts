// What the `user` commands share: naming an account on the command line, opening the account
// store directly (safe while the server runs: SQLite in WAL mode), and getting a new password
// from stdin or a hidden prompt.
import { StringDecoder } from "node:string_decoder";
import { AuthErrorCode, invalidUsernameError } from "../../../auth/errors.js";
import type { AccountRecord, InternalAuthProvider } from "../../../auth/internal.js";
import { prepareUsername } from "../../../auth/username.js";
import type { Config } from "../../../config/types.js";
import { ChatctlError, ExitCode, UsageError } from "../../../errors.js";
import { nameprep } from "../../../jid/prep.js";
import type { StorageBackend } from "../../../storage/types.js";
import type { CliContext } from "../../context.js";

export interface Account {
  /** The prepared localpart, as stored. */
  user: string;
  /** user@domain, for messages. */
  jid: string;
}

/** USER is `name` or `name@domain`; the domain must be the one this configuration serves. */
export function parseAccount(arg: string, config: Config): Account {
  if (arg.includes("/")) {
    throw new UsageError(`"${arg}" names a resource; name an account as user or user@${config.domain}`);
  }
  const at = arg.indexOf("@");
  const local = at < 0 ? arg : arg.slice(0, at);
  const domain = at < 0 ? undefined : arg.slice(at + 1);
  const served = preparedDomain(config.domain);
  if (domain !== undefined && (served === undefined || preparedDomain(domain) !== served)) {
    throw new UsageError(
      `"${arg}" is not on ${config.domain}, the domain this configuration serves`,
      `give the user name alone, or choose the domain with --domain or the config file's "domain"`,
    );
  }
  const user = prepareUsername(local);
  if (user === undefined) throw invalidUsernameError(local);
  return { user, jid: `${user}@${config.domain}` };
}

/** The domain as compared (prepared, without a trailing dot); undefined when it is not a valid domain. */
function preparedDomain(domain: string): string | undefined {
  try {
    return nameprep(domain.replace(/\.$/, ""));
  } catch {
    return undefined;
  }
}

export interface AccountStore {
  auth: InternalAuthProvider;
  backend: StorageBackend;
}

/**
 * Opens storage and the account provider for the configured domain, runs `fn`, always closes.
 * `readonly` (for commands that only read) neither creates nor migrates the database.
 */
export async function withAccounts<T>(
  config: Config,
  fn: (store: AccountStore) => Promise<T> | T,
  opts: { readonly?: boolean } = {},
): Promise<T> {
  // Loaded lazily so that `--help` and the man-page build never load the native SQLite addon.
  const [{ openStorage }, { InternalAuthProvider }] = await Promise.all([
    import("../../../storage/open.js"),
    import("../../../auth/internal.js"),
  ]);
  const backend = openStorage(config, { readonly: opts.readonly === true });
  try {
    const accounts = backend.keyval<AccountRecord>(config.domain, "accounts");
    const auth = new InternalAuthProvider(accounts, { iterations: config.auth.scramIterations });
    return await fn({ auth, backend });
  } finally {
    backend.close();
  }
}

export function assertExists(auth: InternalAuthProvider, account: Account): void {
  if (!auth.userExists(account.user)) {
    throw new ChatctlError(AuthErrorCode.USER_NOT_FOUND, `no such account: ${account.jid}`, ExitCode.FAILED,
      "list accounts with: chatctl user list");
  }
}

export function assertAbsent(auth: InternalAuthProvider, account: Account): void {
  if (auth.userExists(account.user)) {
    throw new ChatctlError(AuthErrorCode.USER_EXISTS, `${account.jid} already exists`, ExitCode.FAILED,
      `to change its password: chatctl user passwd ${account.user}`);
  }
}

/**
 * The new password: one line from stdin with --password-stdin, else a hidden prompt typed twice on
 * a terminal. Never prompts without a terminal, so scripts and cron fail fast instead of hanging.
 */
export async function newPassword(
  ctx: CliContext,
  account: Account,
  opts: { fromStdin: boolean | undefined; verb: "add" | "passwd" },
): Promise<string> {
  if (opts.fromStdin) {
    const line = await readLine(ctx.stdin);
    if (line === "") throw new UsageError("empty password on stdin", "write the password and a newline to stdin");
    return line;
  }
  if (!ctx.isTTY) {
    throw new UsageError("no password: use --password-stdin", `e.g. printf '%s\\n' "$PASSWORD" | chatctl user ${opts.verb} ${account.user} --password-stdin`);
  }
  const first = await ctx.prompts.password(`New password for ${account.jid}:`);
  if (first === "") throw new UsageError("empty password");
  const second = await ctx.prompts.password("Repeat the password:");
  if (first !== second) throw new UsageError("the two passwords differ; nothing was changed");
  return first;
}

/**
 * The first line of a stream without its line ending ("\n" or "\r\n"), or everything up to the end
 * when there is no newline. Decoded with a StringDecoder so a multi-byte character split across
 * chunks survives. Stops reading at the newline, so a terminal or a longer pipe is left alone.
 */
export function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder("utf8");
    let text = "";
    const cleanup = () => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
      stream.pause();
    };
    const onData = (chunk: Buffer | string) => {
      text += typeof chunk === "string" ? chunk : decoder.write(chunk);
      const nl = text.indexOf("\n");
      if (nl >= 0) {
        cleanup();
        resolve(text.slice(0, nl).replace(/\r$/, ""));
      }
    };
    const onEnd = () => {
      cleanup();
      resolve((text + decoder.end()).replace(/\r$/, ""));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
    stream.resume();
  });
}
