// `chatctl doctor`: finds DNS, certificate and host problems and says how to fix each. With no
// subcommand it runs every check; `doctor dns` and `doctor cert` run one part.
import { Command } from "commander";
import type { ActionRunner } from "../../context.js";
import { withExamples } from "../../help.js";
import { run, type AllOptions } from "./all.js";
import { certCommand } from "./cert.js";
import { dnsCommand } from "./dns.js";
import { withDnsOptions, withReportOptions, withTrustOptions } from "./options.js";

export function doctorCommand(runner: ActionRunner): Command {
  const cmd = withTrustOptions(
    withDnsOptions(
      withReportOptions(
        new Command("doctor").description("find DNS, certificate and server problems and print the exact fix (exit 1 when something failed)"),
      ),
    ),
  )
    .addCommand(dnsCommand(runner))
    .addCommand(certCommand(runner))
    .action((_opts: AllOptions, self: Command) => runner(self, (ctx) => run(self.optsWithGlobals<AllOptions>(), ctx)));
  return withExamples(cmd, [
    { title: "check everything for the configured server", command: "chatctl doctor" },
    { title: "fail a monitoring job on warnings too", command: "chatctl doctor --strict --json > /var/lib/chatctl/doctor.json" },
  ]);
}
