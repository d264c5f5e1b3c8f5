// The composition root of `chatctl serve`: storage, auth, TLS, router, the virtual host and its
// modules, listeners. Returns a handle the CLI uses for SIGHUP and shutdown.
import type { AddressInfo } from "node:net";
import { InternalAuthProvider, type AccountRecord } from "../auth/internal.js";
import type { Config } from "../config/types.js";
import type { Logger } from "../log/logger.js";
import { Router } from "../router/router.js";
import { openStorage } from "../storage/open.js";
import type { StorageBackend } from "../storage/types.js";
import { loadOrCreateCredentials } from "../tls/credentials.js";
import { TlsContextManager } from "../tls/context.js";
import { VirtualHost } from "./host.js";
import { bindC2sListeners, ConnectionSet, type BoundListener } from "./listeners.js";
import type { ServerModule } from "./module-api.js";
import { coreModules } from "./modules.js";
import { createComponentHosts, type ComponentHosts } from "./components.js";

export interface RunningServer {
  readonly config: Config;
  readonly host: VirtualHost;
  addresses(): { c2s: AddressInfo[]; c2sDirectTls: AddressInfo[] };
  reloadCertificates(): { ok: true } | { ok: false; error: Error };
  close(reason?: string): Promise<void>;
}

export interface StartOptions {
  /** Override the module list (tests); defaults to every module. */
  modules?: readonly ServerModule[];
  /** Use this storage instead of opening the configured one (tests). */
  storage?: StorageBackend;
}

export async function startServer(config: Config, log: Logger, options: StartOptions = {}): Promise<RunningServer> {
  const storage = options.storage ?? openStorage(config);
  const closeables: Array<() => void | Promise<void>> = [];
  try {
    const auth = new InternalAuthProvider(storage.keyval<AccountRecord>(config.domain, "accounts"), {
      iterations: config.auth.scramIterations,
      groups: storage.map<true>(config.domain, "groups"),
    });
    const credentials = loadOrCreateCredentials(config, log);
    const tls = new TlsContextManager(config, log, credentials);
    log.info({ cert: credentials.certPath, selfSigned: credentials.selfSigned, names: credentials.names }, "TLS certificate loaded");

    const hosts = new Map<string, VirtualHost>();
    let components: ComponentHosts | undefined;
    const router = new Router({ lookup: (domain) => hosts.get(domain) ?? components?.lookup(domain) }, log.child({ component: "router" }));
    const host = new VirtualHost(config.domain, config, log.child({ host: config.domain }), storage, auth, router);
    hosts.set(config.domain, host);
    for (const m of options.modules ?? coreModules) await host.load(m);
    closeables.push(() => host.unloadAll());
    // Service domains (conference.<domain> …) route like hosts but accept no client logins.
    components = await createComponentHosts({ config, log, storage, auth, router, tls });
    for (const domain of components.hosts.keys()) host.addServiceItem({ jid: domain });
    closeables.push(() => components!.close());

    const connections = new ConnectionSet(config.c2s, log);
    connections.start();
    const env = {
      lookupHost: (domain: string) => hosts.get(domain),
      router,
      tlsOptions: () => tls.serverOptions(),
      limits: config.c2s,
      log,
    };
    const listeners: BoundListener[] = [];
    closeables.push(async () => {
      await Promise.all(listeners.map((l) => new Promise<void>((r) => l.server.close(() => r()))));
    });
    listeners.push(...(await bindC2sListeners("c2s", config.listeners.c2s, env, connections, () => tls.serverOptions(), log)));
    listeners.push(
      ...(await bindC2sListeners("c2sDirectTls", config.listeners.c2sDirectTls, env, connections, () => tls.serverOptions(), log, (server) => {
        closeables.push(tls.attach(server));
      })),
    );
    log.info({ domain: config.domain, dataDir: config.dataDir, storage: storage.kind }, "chatctl server started");

    let closed: Promise<void> | undefined;
    return {
      config,
      host,
      addresses: () => ({
        c2s: listeners.filter((l) => l.kind === "c2s").map((l) => l.address),
        c2sDirectTls: listeners.filter((l) => l.kind === "c2sDirectTls").map((l) => l.address),
      }),
      reloadCertificates: () => tls.reload(),
      close: (reason = "shutdown") => {
        closed ??= (async () => {
          log.info({ reason }, "shutting down");
          for (const l of listeners) l.server.close();
          await connections.shutdown(2000);
          for (const fn of closeables.reverse()) await fn();
          if (!options.storage) storage.close();
          log.info("stopped");
        })();
        return closed;
      },
    };
  } catch (err) {
    for (const fn of closeables.reverse()) await fn();
    if (!options.storage) storage.close();
    throw err;
  }
}
