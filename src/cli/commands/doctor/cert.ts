// `chatctl doctor cert`: checks the configured certificate (or the files given, or what a host
// presents): names, validity, key, chain, key usage; with no arguments also what this host's
// listeners serve for each name.
import { isIP } from "node:net";
import { resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { parseHostPort, type HostPort } from "../../../dns/address.js";
import type { CertSource } from "../../../doctor/cert/source.js";
import { certReport } from "../../../doctor/doctor.js";
import { UsageError } from "../../../errors.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { printReport, readCaFile, withReportOptions, withTrustOptions, type ReportOptions, type TrustOptions } from "./options.js";

export interface CertOptions extends ReportOptions, TrustOptions {
  cert?: string;
  key?: string;
  host?: HostPort;
  starttls?: boolean;
  directTls?: boolean;
  /** The global --domain: the names to check and the stream's `to`. */
  domain?: string;
}

function parseHost(value: string): HostPort {
  try {
    return parseHostPort(value, { defaultPort: 5222 });
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message}.`);
  }
}

export function certCommand(runner: ActionRunner): Command {
  const cmd = withTrustOptions(
    withReportOptions(
      new Command("cert")
        .description("check the TLS certificate: names, expiry, key, chain, key usage, and what the listeners serve")
        .option("--cert <file>", "check this PEM certificate (full chain) instead of the configured one; needs --key")
        .option("--key <file>", "the private key of --cert")
        .addOption(new Option("--host <host[:port]>", "check what this server presents instead (port default 5222)").argParser(parseHost))
        .option("--starttls", "with --host: use STARTTLS (default: guessed from the port, then tried)")
        .option("--direct-tls", "with --host: use direct TLS (XEP-0368)"),
    ),
  ).action((_opts: CertOptions, self: Command) => runner(self, (ctx) => run(self.optsWithGlobals<CertOptions>(), ctx)));
  return withExamples(cmd, [
    { title: "check the configured certificate and what the running server serves", command: "chatctl doctor cert" },
    { title: "check renewed files before installing them", command: "chatctl doctor cert --cert fullchain.pem --key privkey.pem" },
    { title: "check what another server presents on its direct-TLS port", command: "chatctl --domain example.org doctor cert --host xmpp.example.org:5223" },
  ]);
}

export async function run(opts: CertOptions, ctx: CliContext): Promise<number> {
  const source = sourceFromOptions(opts);
  const extraTrust = readCaFile(opts.caFile);
  let config = await ctx.loadConfig();
  // `doctor cert --host xmpp.example.org` on a machine without a configuration: the host's own
  // name is the domain to check, not the built-in "localhost".
  if (source?.kind === "host" && config.source === undefined && ctx.globals.domain === undefined && isIP(source.target.host) === 0) {
    config = await ctx.loadConfig({ domain: source.target.host });
  }
  const report = await certReport(config, {
    ...(source !== undefined ? { source: withStreamTo(source, config.domain) } : {}),
    ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {}),
    ...(extraTrust ? { extraTrust } : {}),
  });
  return printReport(report, opts, ctx);
}

/** What to examine according to the flags, or undefined for the configured certificate. */
export function sourceFromOptions(opts: CertOptions): CertSource | undefined {
  if ((opts.cert === undefined) !== (opts.key === undefined)) {
    throw new UsageError(opts.cert === undefined ? "--key needs --cert" : "--cert needs --key", "give both files: chatctl doctor cert --cert fullchain.pem --key privkey.pem");
  }
  if (opts.host !== undefined && opts.cert !== undefined) {
    throw new UsageError("--host cannot be combined with --cert/--key", "check either files or a server");
  }
  if (opts.starttls && opts.directTls) throw new UsageError("--starttls and --direct-tls exclude each other");
  if ((opts.starttls || opts.directTls) && opts.host === undefined) {
    throw new UsageError(`${opts.starttls ? "--starttls" : "--direct-tls"} only applies with --host`, "chatctl doctor cert --host HOST[:PORT] --direct-tls");
  }
  if (opts.cert !== undefined && opts.key !== undefined) {
    return { kind: "files", certPath: resolve(opts.cert), keyPath: resolve(opts.key), origin: "command line" };
  }
  if (opts.host !== undefined) {
    const mode = opts.starttls ? "starttls" : opts.directTls ? "direct-tls" : "auto";
    return { kind: "host", target: { ...opts.host, mode, streamTo: "" } };
  }
  return undefined;
}

function withStreamTo(source: CertSource, domain: string): CertSource {
  return source.kind === "host" ? { ...source, target: { ...source.target, streamTo: domain } } : source;
}
