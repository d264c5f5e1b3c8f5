// Options shared by `chatctl doctor` and its subcommands, with their parsers (a bad value is a
// usage error, exit 2, before anything runs) and the one way reports are printed.
//
// `doctor` and its subcommands declare the same options, so that `chatctl doctor --json` and
// `chatctl doctor dns --json` both work and each --help lists them. Commander lets the parent
// consume an option it knows even after the subcommand's name, so actions read the merged
// optsWithGlobals(); no option has a commander default, which would override the parent's value.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import { parseHostPort, type HostPort } from "../../../dns/address.js";
import { DEFAULT_TIMEOUT_MS } from "../../../doctor/doctor.js";
import { renderReport } from "../../../doctor/render.js";
import { exitCodeOf, reportJson, type Report } from "../../../doctor/report.js";
import { UsageError } from "../../../errors.js";
import type { CliContext } from "../../context.js";

export interface ReportOptions {
  json?: boolean;
  strict?: boolean;
  timeout?: number;
}

export interface DnsOptions extends ReportOptions {
  resolver?: HostPort[];
  s2sPort?: number;
  target?: string;
}

export interface TrustOptions {
  caFile?: string;
}

const MAX_TIMEOUT_MS = 600_000;

export function parseResolver(value: string, previous: HostPort[] | undefined): HostPort[] {
  try {
    return [...(previous ?? []), parseHostPort(value, { defaultPort: 53, ipOnly: true })];
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message}.`);
  }
}

export function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < 1 || ms > MAX_TIMEOUT_MS) throw new InvalidArgumentError(`expected milliseconds, from 1 to ${MAX_TIMEOUT_MS}.`);
  return ms;
}

export function parseServicePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError("expected a port number (1-65535).");
  return port;
}

export function parseHostName(value: string): string {
  const name = value.toLowerCase().replace(/\.$/, "");
  if (!/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(name)) {
    throw new InvalidArgumentError("expected a host name such as xmpp.example.com.");
  }
  return name;
}

export function withReportOptions(cmd: Command): Command {
  return cmd
    .option("--json", "print the report as JSON (shape in chatctl-doctor(1))")
    .option("--strict", "exit 1 on warnings too, not only on failures")
    .addOption(new Option("--timeout <ms>", `how long to wait for each DNS reply and each connection (default ${DEFAULT_TIMEOUT_MS})`).argParser(parseTimeout));
}

export function withDnsOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--resolver <ip[:port]>", "ask this DNS server instead of those of /etc/resolv.conf (repeatable)").argParser(parseResolver))
    .addOption(new Option("--s2s-port <port>", "federation (S2S) is served on this port: check the _xmpp-server records too").argParser(parseServicePort))
    .addOption(new Option("--target <host>", "host name the SRV records should point at, in proposed fixes (default: the current target, else the domain)").argParser(parseHostName));
}

export function withTrustOptions(cmd: Command): Command {
  return cmd.option("--ca-file <file>", "also trust the CA certificates in this PEM file (a private CA)");
}

/** The certificates of --ca-file. */
export function readCaFile(path: string | undefined): X509Certificate[] | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read --ca-file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, "give a readable PEM file of CA certificates");
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new UsageError(`--ca-file ${path} contains no PEM certificate`, 'give a file with "-----BEGIN CERTIFICATE-----" blocks');
  return blocks.map((b) => new X509Certificate(b));
}

/** The report as JSON or as the human table; resolves with the exit code. */
export function printReport(report: Report, opts: ReportOptions, ctx: CliContext): number {
  const strict = opts.strict === true;
  if (opts.json) ctx.out.json(reportJson(report, strict));
  else ctx.out.block(renderReport(report, { color: ctx.out.color, strict }));
  return exitCodeOf(report.checks, strict);
}
