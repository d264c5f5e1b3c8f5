// Binds the c2s listeners (5222 STARTTLS, 5223 direct TLS) on every configured address and keeps
// the set of live connections for the periodic sweep (auth timeout, whitespace keepalive) and
// for shutdown. One sweep timer for all connections instead of timers per connection keeps the
// per-connection memory small.
import net, { type AddressInfo, type Server } from "node:net";
import tls from "node:tls";
import type { ListenerConfig } from "../config/types.js";
import type { Logger } from "../log/logger.js";
import { StreamError } from "../stanza/errors.js";
import { C2sConnection, type C2sEnvironment } from "../stream/c2s-connection.js";
import { ChatctlError, ExitCode } from "../errors.js";

export interface SweepPolicy {
  /** Seconds an unauthenticated stream may live. */
  authTimeout: number;
  /** Seconds of write silence before a whitespace keepalive (0 = never). */
  keepaliveInterval: number;
  maxConnections: number;
}

export class ConnectionSet {
  readonly all = new Set<C2sConnection>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly policy: SweepPolicy,
    private readonly log: Logger,
  ) {}

  start(): void {
    const every = Math.max(1000, Math.min(5000, (this.policy.authTimeout * 1000) / 3));
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  add(conn: C2sConnection): void {
    this.all.add(conn);
  }

  delete(conn: C2sConnection): void {
    this.all.delete(conn);
  }

  get full(): boolean {
    return this.all.size >= this.policy.maxConnections;
  }

  private sweep(): void {
    const now = Date.now();
    const authDeadline = now - this.policy.authTimeout * 1000;
    const keepaliveBefore = now - this.policy.keepaliveInterval * 1000;
    for (const conn of this.all) {
      if (conn.state === "connected" && conn.connectedAtMs < authDeadline) {
        conn.close(new StreamError("connection-timeout", "authentication took too long"));
      } else if (this.policy.keepaliveInterval > 0 && conn.state === "bound" && conn.lastWrite < keepaliveBefore) {
        conn.keepalive();
      }
    }
  }

  /** Sends <system-shutdown/> to every stream, then waits (bounded) for the sockets to go. */
  async shutdown(graceMs: number): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const conn of this.all) conn.close(new StreamError("system-shutdown", "the server is shutting down"));
    const deadline = Date.now() + graceMs;
    while (this.all.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const conn of this.all) conn.destroy();
    this.all.clear();
  }
}

export interface BoundListener {
  kind: "c2s" | "c2sDirectTls";
  server: Server;
  address: AddressInfo;
}

export async function bindC2sListeners(
  kind: "c2s" | "c2sDirectTls",
  cfg: ListenerConfig,
  env: Omit<C2sEnvironment, "onClose">,
  connections: ConnectionSet,
  tlsOptions: () => tls.TlsOptions,
  log: Logger,
  /** Lets a certificate reload reach the listener's own context (clients without SNI). */
  attachTls?: (server: tls.Server) => void,
): Promise<BoundListener[]> {
  if (!cfg.enabled) return [];
  const bound: BoundListener[] = [];
  const directTls = kind === "c2sDirectTls";
  // One environment for all of the listener's connections: a copy per connection (with its own
  // onClose closure) would be kept by every idle session.
  const connEnv: C2sEnvironment = { ...env, onClose: (c) => connections.delete(c) };
  const onSocket = (socket: net.Socket) => {
    if (connections.full) {
      log.warn({ remote: socket.remoteAddress }, "connection refused: maxConnections reached");
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const conn = new C2sConnection(socket, directTls, connEnv);
    connections.add(conn);
  };
  for (const address of cfg.addresses) {
    const server = directTls
      ? tls.createServer({ ...tlsOptions() }, onSocket)
      : net.createServer(onSocket);
    if (server instanceof tls.Server) {
      server.on("tlsClientError", (err) => log.debug({ err: err.message }, "TLS handshake failed"));
      attachTls?.(server);
    }
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) => {
        reject(
          new ChatctlError(
            "CHATCTL_E_LISTEN",
            `cannot listen on ${address} port ${cfg.port} (${kind}): ${err.code ?? err.message}`,
            ExitCode.USAGE,
            err.code === "EADDRINUSE"
              ? `another process uses port ${cfg.port}; stop it or set listeners.${kind}.port`
              : err.code === "EACCES"
                ? `ports below 1024 need root or CAP_NET_BIND_SERVICE; or set listeners.${kind}.port`
                : `check listeners.${kind}.addresses`,
          ),
        );
      });
      // "::" must not also claim IPv4, or binding 0.0.0.0 on the same port would conflict.
      server.listen({ host: address, port: cfg.port, ipv6Only: net.isIPv6(address) }, () => resolve());
    });
    server.on("error", (err) => log.error({ err }, "listener error"));
    const info = server.address() as AddressInfo;
    log.info({ listener: kind, address: info.address, port: info.port }, "listening");
    bound.push({ kind, server, address: info });
  }
  return bound;
}
