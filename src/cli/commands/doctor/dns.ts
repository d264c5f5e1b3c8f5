// `chatctl doctor dns [DOMAIN]`: checks the DNS records of the domain and its service names
// against the configured listeners, with our own resolver, and proposes zone-file fixes.
import { Command } from "commander";
import { dnsReport } from "../../../doctor/doctor.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { printReport, withDnsOptions, withReportOptions, type DnsOptions } from "./options.js";

export function dnsCommand(runner: ActionRunner): Command {
  const cmd = withDnsOptions(
    withReportOptions(
      new Command("dns")
        .description("check the SRV, A/AAAA and service-name records against the listeners; print zone-file fixes")
        .argument("[domain]", "the domain to check (default: the configured domain)"),
    ),
  ).action((domain: string | undefined, _opts: DnsOptions, self: Command) => runner(self, (ctx) => run(domain, self.optsWithGlobals<DnsOptions>(), ctx)));
  return withExamples(cmd, [
    { title: "check the configured domain with the system's resolver", command: "chatctl doctor dns" },
    { title: "ask a given resolver about another domain", command: "chatctl doctor dns example.org --resolver 9.9.9.9" },
  ]);
}

export async function run(domain: string | undefined, opts: DnsOptions, ctx: CliContext): Promise<number> {
  const config = await ctx.loadConfig(domain !== undefined ? { domain } : {});
  const report = await dnsReport(config, {
    ...(opts.resolver !== undefined ? { resolvers: opts.resolver } : {}),
    ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {}),
    ...(opts.s2sPort !== undefined ? { s2sPort: opts.s2sPort } : {}),
    ...(opts.target !== undefined ? { target: opts.target } : {}),
  });
  return printReport(report, opts, ctx);
}
