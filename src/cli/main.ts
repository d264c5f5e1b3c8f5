// The chatctl program: builds the commander tree, runs it, and is the ONE place that turns an
// outcome into an exit code (DESIGN.md "CLI conventions": 0 ok, 1 failed, 2 usage/config,
// 3 unreachable). Commands throw typed errors; nothing under commands/ exits the process.
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { ChatctlError, ExitCode } from "../errors.js";
import { LOG_LEVELS } from "../log/logger.js";
import { StoreError } from "../storage/types.js";
import { doctorCommand } from "./commands/doctor/index.js";
import { mamCommand } from "./commands/mam/index.js";
import { uploadCommand } from "./commands/upload/index.js";
import { mucCommand } from "./commands/muc/index.js";
import { serveCommand } from "./commands/serve.js";
import { userCommand } from "./commands/user/index.js";
import { adminsCommand } from "./commands/admins/index.js";
import { broadcastCommand } from "./commands/broadcast/index.js";
import { usersCommand } from "./commands/users/index.js";
import { type ActionRunner, type CliIO, type GlobalOptions, createContext } from "./context.js";
import { withExamples } from "./help.js";
import { type Output, createOutput, shouldUseColor } from "./output.js";

/** The version in package.json (two levels above dist/src/cli once compiled). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/**
 * The whole command tree. scripts/build-man.mjs builds it too (without running anything) to
 * generate the man pages' usage and option lists from these very definitions.
 */
export function buildProgram(runner: ActionRunner = notRunnable): Command {
  const program = new Command("chatctl")
    .description("a lightweight XMPP server and the administrator's toolkit around it")
    .version(packageVersion(), "-V, --version", "print the version and exit")
    .option("-c, --config <file>", "configuration file (default: /etc/chatctl/chatctl.yml, if present)")
    .option("--domain <domain>", "XMPP domain to serve or administer (config: domain)")
    .option("--data-dir <dir>", "directory for the database, certificates and state (config: dataDir)")
    .addOption(new Option("--log-level <level>", "log verbosity (config: log.level)").choices(LOG_LEVELS))
    .option("--no-color", "never colour the output (NO_COLOR=1 does the same)")
    .addCommand(serveCommand(runner))
    .addCommand(userCommand(runner))
    .addCommand(adminsCommand(runner))
    .addCommand(usersCommand(runner))
    .addCommand(broadcastCommand(runner))
    .addCommand(doctorCommand(runner))
    .addCommand(mamCommand(runner))
    .addCommand(uploadCommand(runner))
    .addCommand(mucCommand(runner));
  return withExamples(program, [
    { title: "try it: a server for localhost with a self-signed certificate", command: "chatctl serve --domain localhost --data-dir ./data" },
    { title: "create an account on the configured server", command: "chatctl -c /etc/chatctl/chatctl.yml user add alice" },
  ]);
}

async function notRunnable(): Promise<void> {
  throw new Error("this program was built for inspection only (man pages); use main() to run it");
}

function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, isTTY: process.stdin.isTTY === true, env: process.env };
}

/** Runs chatctl with `argv` as in process.argv (node, script, args…); resolves with the exit code. */
export async function main(argv: string[], io?: CliIO): Promise<number> {
  const streams = io ?? processIO();
  const env = streams.env ?? process.env;
  let exitCode: number = ExitCode.OK;
  let forcedExit = false;
  // The command whose parsing failed, to point the user at the right --help.
  let failedCommand: Command | undefined;

  const outputFor = (globals: Partial<GlobalOptions>): Output => {
    const stdoutIsTTY = (streams.stdout as { isTTY?: boolean }).isTTY === true;
    return createOutput(streams, shouldUseColor({ isTTY: streams.isTTY && stdoutIsTTY, env, colorFlag: globals.color !== false }));
  };

  const runner: ActionRunner = async (cmd, run) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const ctx = createContext({ io: streams, out: outputFor(globals), globals, onForcedExit: () => (forcedExit = true) });
    exitCode = await run(ctx);
  };

  const program = buildProgram(runner);
  for (const cmd of [program, ...descendants(program)]) {
    // addCommand() does not pass these settings down, so every command gets them explicitly.
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (s) => void streams.stdout.write(s),
      writeErr: (s) => void streams.stderr.write(s),
      // Parse errors are printed by the boundary below, in the same format as every other error.
      outputError: () => void (failedCommand = cmd),
    });
  }

  try {
    await program.parseAsync(argv);
  } catch (err) {
    const globals = program.opts<Partial<GlobalOptions>>();
    const debug = globals.logLevel === "debug" || globals.logLevel === "trace" || /^(debug|trace)$/.test(env.CHATCTL_LOG_LEVEL ?? "");
    exitCode = reportError(err, outputFor(globals), { debug, failedCommand: failedCommand ?? program });
  }

  if (forcedExit && io === undefined) {
    // Work is still pending (a server that would not finish closing) and the operator insisted.
    process.exit(exitCode);
  }
  return exitCode;
}

/** The error boundary: print what went wrong and what to do, and choose the exit code. */
export function reportError(err: unknown, out: Output, opts: { debug: boolean; failedCommand: Command }): number {
  if (err instanceof CommanderError) {
    switch (err.code) {
      case "commander.helpDisplayed":
      case "commander.version":
        return ExitCode.OK;
      case "commander.help":
        // Help shown on its own is fine; shown because a subcommand was missing, it is a usage error.
        return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
      default:
        out.error(err.message.replace(/^error: /, ""), `run "${commandPath(opts.failedCommand)} --help" for usage`);
        return ExitCode.USAGE;
    }
  }
  if (err instanceof ChatctlError) {
    // UsageError and ConfigError carry exit code 2, UnreachableError 3, failed operations 1.
    out.error(err.message, err.hint);
    return err.exitCode;
  }
  if (err instanceof StoreError) {
    const unreachable = err.code === "busy" || err.code === "unavailable";
    out.error(`storage: ${err.message}`, unreachable ? "check the storage settings and that the database is reachable, then retry" : undefined);
    return unreachable ? ExitCode.UNREACHABLE : ExitCode.FAILED;
  }
  const message = err instanceof Error ? err.message : String(err);
  out.error(
    `internal error, please report: ${message}`,
    opts.debug
      ? "this is a bug in chatctl; please include the command you ran and the stack trace below"
      : "this is a bug in chatctl; please include the command you ran and its output with --log-level debug",
  );
  if (opts.debug && err instanceof Error && err.stack) out.detail(err.stack);
  return ExitCode.FAILED;
}

function descendants(cmd: Command): Command[] {
  return cmd.commands.flatMap((sub) => [sub, ...descendants(sub)]);
}

export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}
