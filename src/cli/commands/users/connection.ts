// What every command that talks to a running server as an administrator shares (DESIGN.md "Admin
// plane"): --jid, the password (CHATCTL_PASSWORD, --password-file, or a hidden prompt on a
// terminal), --server HOST[:PORT] and --insecure, turned into a logged-in AdminClient.
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { Command } from "commander";
import { existsSync } from "node:fs";
import { AdminClient, type AdminChannel } from "../../../admin/client.js";
import { LocalAdminClient } from "../../../admin/local.js";
import { localCertificatePath, pinnedPolicy, type TrustPolicy } from "../../../admin/tls.js";
import type { Config } from "../../../config/types.js";
import { UsageError } from "../../../errors.js";
import { adminSocketPath } from "../../../services/admins.js";
import type { CliContext } from "../../context.js";

export interface ConnectionOptions {
  jid?: string;
  passwordFile?: string;
  server?: string;
  insecure?: boolean;
}

/** Adds the connection options to a command (same names and texts everywhere). */
export function withConnectionOptions(cmd: Command): Command {
  return cmd
    .option("--jid <jid>", "administrator account to log in as (user@domain; a bare name means the configured domain); without it, the server's local admin socket in the data directory is used")
    .option("--password-file <file>", "read the password from the first line of this file (else CHATCTL_PASSWORD, else a prompt on a terminal)")
    .option("--server <host[:port]>", "where to connect (default: the configured domain on the configured c2s port; localhost when the domain is local)")
    .option("--insecure", "accept any TLS certificate (self-signed test servers); the data directory's certificate is trusted on localhost anyway");
}

export interface Endpoint {
  host: string;
  port: number;
}

/** `HOST`, `HOST:PORT`, `[V6]:PORT` or `V6`. */
export function parseServer(value: string, defaultPort: number): Endpoint {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  const plain = /^([^:[\]]+)(?::(\d+))?$/.exec(value);
  const m = bracketed ?? plain;
  if (!m) {
    if (value.split(":").length > 2) return { host: value, port: defaultPort };
    throw new UsageError(`--server ${value}: expected HOST or HOST:PORT`);
  }
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--server ${value}: the port must be 1-65535`);
  return { host: m[1]!, port };
}

/** A domain this machine serves for itself: connect to the loopback interface. */
export function isLocalDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  return d === "localhost" || d.endsWith(".localhost") || d === hostname().toLowerCase() || d === "127.0.0.1" || d === "::1";
}

function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || /^127\./.test(h) || h === "::1";
}

export function defaultEndpoint(config: Config): Endpoint {
  return { host: isLocalDomain(config.domain) ? "localhost" : config.domain, port: config.listeners.c2s.port };
}

/** The JID to log in as; a bare name is on the configured domain. */
export function adminJid(opts: ConnectionOptions, config: Config): string {
  const jid = opts.jid?.trim();
  if (!jid) throw new UsageError("no administrator account: pass --jid user@domain", `e.g. --jid admin@${config.domain} (or run on the server's host as its user, where the local admin socket needs none)`);
  if (jid.includes("/")) throw new UsageError(`--jid ${jid}: give a bare JID, without a resource`);
  return jid.includes("@") ? jid : `${jid}@${config.domain}`;
}

/**
 * CHATCTL_PASSWORD, else --password-file, else a hidden prompt on a terminal. Never on the command
 * line (other users could read it in the process list), never prompted for under cron.
 */
export async function adminPassword(opts: ConnectionOptions, jid: string, ctx: CliContext, env: NodeJS.ProcessEnv): Promise<string> {
  if (opts.passwordFile !== undefined) {
    let text: string;
    try {
      text = await readFile(opts.passwordFile, "utf8");
    } catch (err) {
      throw new UsageError(`cannot read --password-file ${opts.passwordFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const line = text.split(/\r?\n/)[0] ?? "";
    if (line === "") throw new UsageError(`--password-file ${opts.passwordFile} is empty`);
    return line;
  }
  const fromEnv = env.CHATCTL_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (!ctx.isTTY) throw new UsageError(`no password for ${jid}`, "set CHATCTL_PASSWORD or pass --password-file FILE");
  return await ctx.prompts.password(`Password for ${jid}:`);
}

export function trustPolicy(opts: ConnectionOptions, endpoint: Endpoint, config: Config): TrustPolicy {
  if (opts.insecure) return { kind: "insecure" };
  // Our own server on this machine: its certificate file is right there to compare against.
  if (isLoopback(endpoint.host)) return pinnedPolicy(localCertificatePath(config)) ?? { kind: "verify" };
  return { kind: "verify" };
}

/**
 * Loads the configuration, resolves the options and logs in. Without --jid and --server, a running
 * server's local admin socket (in the data directory) is used: no password, the file's
 * permissions decide. The caller closes the channel. `env` is where CHATCTL_PASSWORD is read (the
 * CliContext does not carry the environment yet).
 */
export async function connectAdmin(opts: ConnectionOptions, ctx: CliContext, env: NodeJS.ProcessEnv = process.env): Promise<{ client: AdminChannel; config: Config }> {
  const config = await ctx.loadConfig();
  const socketPath = adminSocketPath(config.dataDir);
  if (opts.jid === undefined && opts.server === undefined && existsSync(socketPath)) {
    return { client: await LocalAdminClient.connect(socketPath, config.domain), config };
  }
  const jid = adminJid(opts, config);
  const endpoint = opts.server !== undefined ? parseServer(opts.server, config.listeners.c2s.port) : defaultEndpoint(config);
  const password = await adminPassword(opts, jid, ctx, env);
  const client = await AdminClient.connect({ jid, password, host: endpoint.host, port: endpoint.port, trust: trustPolicy(opts, endpoint, config) });
  return { client, config };
}
