// `chatctl doctor` with no subcommand: everything — the configuration, the listeners, the
// database, the disk, DNS and the certificate — in one report.
import { fullReport } from "../../../doctor/doctor.js";
import type { ConfigOutcome } from "../../../doctor/system/context.js";
import { ConfigError } from "../../../errors.js";
import type { CliContext } from "../../context.js";
import { printReport, readCaFile, type DnsOptions, type TrustOptions } from "./options.js";

export type AllOptions = DnsOptions & TrustOptions;

export async function run(opts: AllOptions, ctx: CliContext): Promise<number> {
  const extraTrust = readCaFile(opts.caFile);
  let config: ConfigOutcome;
  try {
    config = { ok: true, config: await ctx.loadConfig() };
  } catch (err) {
    // An invalid configuration is one of the findings here, not a reason to stop.
    if (!(err instanceof ConfigError)) throw err;
    config = { ok: false, error: err };
  }
  const report = await fullReport(config, {
    ...(opts.resolver !== undefined ? { resolvers: opts.resolver } : {}),
    ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {}),
    ...(opts.s2sPort !== undefined ? { s2sPort: opts.s2sPort } : {}),
    ...(opts.target !== undefined ? { target: opts.target } : {}),
    ...(extraTrust ? { extraTrust } : {}),
  });
  return printReport(report, opts, ctx);
}
