// `chatctl serve`: run the XMPP server in the foreground until SIGTERM/SIGINT. SIGHUP reloads the
// TLS certificates (what certbot's deploy hook sends), so renewals need no restart.
import { Command, Option } from "commander";
import type { Config } from "../../config/types.js";
import { ChatctlError, ExitCode, UsageError } from "../../errors.js";
import type { Logger, createLogger } from "../../log/logger.js";
import type { RunningServer } from "../../server/index.js";
import type { CliContext, ConfigFlags, ActionRunner, SignalName } from "../context.js";
import { withExamples } from "../help.js";
import { parsePort } from "../parsers.js";

export interface ServeOptions {
  port?: number;
  tlsPort?: number;
  printConfig?: boolean;
  json?: boolean;
}

/** What serve needs of the running server. */
export type ServedServer = Pick<RunningServer, "reloadCertificates" | "close">;

/** The pieces serve wires together; tests pass fakes, the CLI loads the real ones lazily. */
export interface ServeDeps {
  createLogger: typeof createLogger;
  startServer(config: Config, log: Logger): Promise<ServedServer>;
}

export function serveCommand(runner: ActionRunner): Command {
  const cmd = new Command("serve")
    .description("run the XMPP server in the foreground (SIGHUP reloads certificates, SIGTERM stops)")
    .addOption(new Option("--port <n>", "client port with STARTTLS (listeners.c2s.port)").argParser(parsePort))
    .addOption(
      new Option("--tls-port <n>", "client port with direct TLS (listeners.c2sDirectTls.port)").argParser(parsePort),
    )
    .option("--print-config", "print the effective configuration and exit without starting")
    .option("--json", "with --print-config: print it as JSON")
    .action((opts: ServeOptions, self: Command) => runner(self, (ctx) => run(opts, ctx)));
  return withExamples(cmd, [
    { title: "serve localhost from a throwaway data directory", command: "chatctl serve --domain localhost --data-dir ./data" },
    { title: "show what a config file plus flags amount to", command: "chatctl -c /etc/chatctl/chatctl.yml serve --port 15222 --print-config" },
  ]);
}

export function serveFlags(opts: ServeOptions): ConfigFlags {
  const flags: ConfigFlags = {};
  if (opts.port !== undefined) flags["listeners.c2s.port"] = opts.port;
  if (opts.tlsPort !== undefined) flags["listeners.c2sDirectTls.port"] = opts.tlsPort;
  return flags;
}

export async function run(opts: ServeOptions, ctx: CliContext, deps?: ServeDeps): Promise<number> {
  if (opts.json && !opts.printConfig) {
    throw new UsageError("--json only applies to --print-config", "use: chatctl serve --print-config --json");
  }
  const config = await ctx.loadConfig(serveFlags(opts));
  if (opts.printConfig) {
    if (opts.json) ctx.out.json(config);
    else ctx.out.block((await import("../../config/load.js")).describeConfig(config));
    return ExitCode.OK;
  }

  const { createLogger, startServer } = deps ?? (await realDeps());
  // Logs go to stderr (the logger's default), where systemd and docker collect them too.
  const log = createLogger({
    level: config.log.level,
    format: config.log.format,
    stream: ctx.stderr,
    ...(ctx.globals.color === false ? { colour: false } : {}),
  });
  const server = await startServer(config, log).catch((err: unknown) => {
    throw listenError(err, config) ?? err;
  });
  return await runUntilStopped(server, log, ctx);
}

async function realDeps(): Promise<ServeDeps> {
  const [{ createLogger }, { startServer }] = await Promise.all([
    import("../../log/logger.js"),
    import("../../server/index.js"),
  ]);
  return { createLogger, startServer };
}

/** Resolves with the exit code once a stop signal has been handled. */
function runUntilStopped(server: ServedServer, log: Logger, ctx: CliContext): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const unsubscribe = [
      ctx.onSignal("SIGHUP", reload),
      ctx.onSignal("SIGTERM", () => stop("SIGTERM")),
      ctx.onSignal("SIGINT", () => stop("SIGINT")),
    ];
    // Logged once the handlers are in place: from here on a signal is handled, never fatal.
    log.info("ready: SIGHUP reloads the certificates, SIGTERM or SIGINT stops");
    const finish = (code: number) => {
      for (const off of unsubscribe) off();
      resolve(code);
    };

    function reload() {
      const outcome = server.reloadCertificates();
      if (outcome.ok) log.info({ signal: "SIGHUP" }, "certificates reloaded");
      else log.error({ signal: "SIGHUP", err: outcome.error }, "certificate reload failed; still using the previous certificates");
    }

    function stop(signal: SignalName) {
      if (stopping) {
        // A second signal means the operator will not wait for connections to drain.
        log.warn({ signal }, "second stop signal while shutting down; exiting now");
        ctx.requestForcedExit();
        finish(ExitCode.FAILED);
        return;
      }
      stopping = true;
      // The server logs its own "shutting down" and "stopped" lines.
      log.info({ signal }, "stop signal received");
      server.close("system-shutdown").then(
        () => finish(ExitCode.OK),
        (err: unknown) => {
          log.error({ err }, "shutdown failed");
          finish(ExitCode.FAILED);
        },
      );
    }
  });
}

/** A port that cannot be bound is the operator's to fix: say which and how, not a stack trace. */
function listenError(err: unknown, config: Config): ChatctlError | undefined {
  if (err instanceof ChatctlError || !(err instanceof Error)) return undefined;
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string };
  const host = e.address === undefined ? "*" : e.address.includes(":") ? `[${e.address}]` : e.address;
  const where = e.port !== undefined ? `${host}:${e.port}` : `port ${config.listeners.c2s.port}`;
  switch (e.code) {
    case "EADDRINUSE":
      return new ChatctlError("CHATCTL_E_LISTEN", `cannot listen on ${where}: address already in use`, ExitCode.FAILED,
        "stop the other server on that port, or choose another with --port / --tls-port");
    case "EACCES":
      return new ChatctlError("CHATCTL_E_LISTEN", `cannot listen on ${where}: permission denied`, ExitCode.FAILED,
        "ports below 1024 need privileges (e.g. setcap cap_net_bind_service); or choose another with --port");
    case "EADDRNOTAVAIL":
      return new ChatctlError("CHATCTL_E_LISTEN", `cannot listen on ${where}: no such local address`, ExitCode.FAILED,
        "check listeners.*.addresses in the configuration");
    default:
      return undefined;
  }
}
