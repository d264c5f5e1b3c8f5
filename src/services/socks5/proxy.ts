// The TCP side of a XEP-0065 bytestream proxy: accepts SOCKS5 connections (RFC 1928, no
// authentication, CONNECT to a stream address), pairs the target and the requester of each stream,
// and relays between them once the XMPP side activates the stream. Knows no XML: the proxy65
// module answers the IQs and calls activate().
import net, { type AddressInfo, type Server, type Socket } from "node:net";
import { ChatctlError, ExitCode } from "../../errors.js";
import type { Logger } from "../../log/logger.js";
import { isStreamHash } from "./hash.js";
import { TransferBudget, TransferLimitError } from "./meter.js";
import { PairingRegistry } from "./pairing.js";
import { Socks5ClientReader, type ClientMessage } from "./parser.js";
import { AddressType, Command, Method, methodSelection, Reply, replyMessage, type ReplyCode } from "./protocol.js";
import { relay } from "./relay.js";

export interface ProxyLimits {
  /** A connection with no traffic for this long is closed: while negotiating, waiting or relaying. */
  idleTimeoutMs: number;
  /** Bytes one transfer may carry (both directions together); 0 = no cap. */
  maxTransferBytes: number;
  /** Bytes per second one transfer may carry; 0 = no cap. */
  maxBytesPerSecond: number;
  /** Streams open at once (waiting or active). */
  maxConcurrent: number;
}

export type ActivationResult = "activated" | "unknown-stream" | "peer-missing" | "already-active";

export interface ProxyStats {
  /** TCP connections open now. */
  connections: number;
  /** Streams with one or two sides connected, not yet activated. */
  waiting: number;
  active: number;
  transfersCompleted: number;
  transfersFailed: number;
  /** Connections refused before relaying: bad SOCKS5, unsupported command or address, limits. */
  refused: number;
  timedOut: number;
  /** Bytes relayed by finished and running transfers. */
  bytesRelayed: number;
}

/** Connections still negotiating, beyond two per stream, before new ones are turned away. */
const NEGOTIATION_ALLOWANCE = 32;

export class Socks5Proxy {
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly pairings: PairingRegistry;
  private readonly running = new Set<TransferBudget>();
  private readonly counters = { transfersCompleted: 0, transfersFailed: 0, refused: 0, timedOut: 0, bytesFinished: 0 };

  constructor(
    private readonly limits: ProxyLimits,
    private readonly log: Logger,
  ) {
    this.pairings = new PairingRegistry(limits.maxConcurrent);
  }

  /**
   * Binds every address on `port`; with port 0 the first address picks a free port and the others
   * share it, so one streamhost port serves all of them. Returns what was bound.
   */
  async listen(addresses: readonly string[], port: number): Promise<AddressInfo[]> {
    const bound: AddressInfo[] = [];
    let chosen = port;
    for (const address of addresses) {
      const server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
      await new Promise<void>((resolve, reject) => {
        server.once("error", (err: NodeJS.ErrnoException) => reject(listenError(address, chosen, err)));
        // "::" must not also claim IPv4, or binding 0.0.0.0 on the same port would conflict.
        server.listen({ host: address, port: chosen, ipv6Only: net.isIPv6(address) }, () => resolve());
      });
      server.on("error", (err) => this.log.error({ err }, "SOCKS5 listener error"));
      const info = server.address() as AddressInfo;
      chosen = info.port;
      this.servers.push(server);
      bound.push(info);
    }
    return bound;
  }

  /** XEP-0065 §6.3.5: relays the stream once both sides are connected. */
  activate(hash: string): ActivationResult {
    const p = this.pairings.get(hash.toLowerCase());
    if (!p) return "unknown-stream";
    if (p.active) return "already-active";
    if (!p.second) return "peer-missing";
    p.active = true;
    void this.run(p.hash, p.first, p.second);
    return "activated";
  }

  stats(): ProxyStats {
    const { waiting, active } = this.pairings.counts();
    let running = 0;
    for (const b of this.running) running += b.bytes;
    return {
      connections: this.sockets.size,
      waiting,
      active,
      transfersCompleted: this.counters.transfersCompleted,
      transfersFailed: this.counters.transfersFailed,
      refused: this.counters.refused,
      timedOut: this.counters.timedOut,
      bytesRelayed: this.counters.bytesFinished + running,
    };
  }

  /** Stops listening and drops every connection, waiting or relaying. */
  async close(): Promise<void> {
    const closing = this.servers.map((s) => new Promise<void>((r) => s.close(() => r())));
    for (const s of this.sockets) s.destroy();
    await Promise.all(closing);
  }

  private accept(socket: Socket): void {
    if (this.sockets.size >= this.limits.maxConcurrent * 2 + NEGOTIATION_ALLOWANCE) {
      this.counters.refused++;
      this.log.warn({ remote: socket.remoteAddress }, "SOCKS5 connection refused: too many connections");
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", (err) => this.log.debug({ err: err.message, remote: socket.remoteAddress }, "SOCKS5 connection error"));
    socket.setNoDelay(true);
    socket.setTimeout(this.limits.idleTimeoutMs, () => {
      this.counters.timedOut++;
      this.log.info({ remote: socket.remoteAddress, idleMs: this.limits.idleTimeoutMs }, "SOCKS5 connection idle: closed");
      socket.destroy();
    });
    const reader = new Socks5ClientReader();
    const onData = (chunk: Buffer) => {
      for (const msg of reader.push(chunk)) {
        // A refused greeting ends the connection: a request pipelined behind it is not served.
        if (socket.writableEnded || socket.destroyed) return;
        if (msg.kind === "greeting") this.onGreeting(socket, msg.methods);
        else {
          // The handshake is over either way: stop reading until the stream is active (the
          // client must not send before, and anything it does send waits in the kernel).
          socket.off("data", onData);
          socket.pause();
          if (msg.kind === "request") {
            const rest = reader.takeRest();
            if (rest.length > 0) socket.unshift(rest);
          }
          this.onRequest(socket, msg);
        }
      }
    };
    socket.on("data", onData);
  }

  private onGreeting(socket: Socket, methods: readonly number[]): void {
    if (methods.includes(Method.NO_AUTHENTICATION)) {
      socket.write(methodSelection(Method.NO_AUTHENTICATION));
      return;
    }
    // RFC 1928 §3: X'FF', and the client closes; we close too rather than wait for it.
    this.refuse(socket, methodSelection(Method.NO_ACCEPTABLE), "no acceptable authentication method offered");
  }

  private onRequest(socket: Socket, msg: Exclude<ClientMessage, { kind: "greeting" }>): void {
    if (msg.kind === "malformed") {
      if (msg.unknownAddressType !== undefined) this.refuse(socket, replyMessage(Reply.ADDRESS_TYPE_NOT_SUPPORTED), msg.reason);
      else this.refuse(socket, undefined, msg.reason);
      return;
    }
    const domain = msg.addressType === AddressType.DOMAIN ? msg.address : undefined;
    const fail = (rep: ReplyCode, why: string) => this.refuse(socket, replyMessage(rep, domain, msg.port), why);
    if (msg.command !== Command.CONNECT) return fail(Reply.COMMAND_NOT_SUPPORTED, `command ${msg.command} not supported`);
    if (domain === undefined) return fail(Reply.ADDRESS_TYPE_NOT_SUPPORTED, `address type ${msg.addressType} not supported`);
    // XEP-0065 §5.3.2: the address is a 40-digit hex SHA-1; the port MUST be 0, but nothing
    // depends on it, so any port is accepted and echoed.
    if (!isStreamHash(domain)) return fail(Reply.HOST_UNREACHABLE, "address is not a bytestream hash");
    const hash = domain.toLowerCase();
    const joined = this.pairings.join(hash, socket);
    if ("refused" in joined) {
      if (joined.refused === "full") return fail(Reply.GENERAL_FAILURE, `too many streams (proxy.maxConcurrent ${this.limits.maxConcurrent})`);
      return fail(Reply.NOT_ALLOWED, "stream already has both sides or is active");
    }
    socket.once("close", () => this.pairings.leave(hash, socket));
    socket.write(replyMessage(Reply.SUCCEEDED, domain, msg.port));
    this.log.debug({ stream: hash, remote: socket.remoteAddress, side: joined.joined.second === socket ? "requester" : "target" }, "SOCKS5 stream side connected");
  }

  private refuse(socket: Socket, reply: Buffer | undefined, reason: string): void {
    this.counters.refused++;
    this.log.info({ remote: socket.remoteAddress, reason }, "SOCKS5 request refused");
    if (!reply) {
      socket.destroy();
      return;
    }
    socket.end(reply);
    // Read (and drop) until the client's FIN, so the half-open socket goes away at once rather
    // than at the idle timeout.
    socket.resume();
  }

  private async run(hash: string, target: Socket, requester: Socket): Promise<void> {
    const budget = new TransferBudget(this.limits.maxTransferBytes, this.limits.maxBytesPerSecond);
    this.running.add(budget);
    this.log.info({ stream: hash }, "bytestream activated");
    const outcome = await relay(target, requester, budget);
    this.running.delete(budget);
    this.pairings.remove(hash);
    this.counters.bytesFinished += budget.bytes;
    const fields = { stream: hash, targetToRequester: outcome.firstToSecond, requesterToTarget: outcome.secondToFirst, ms: Date.now() - budget.startedAt };
    if (outcome.error === undefined) {
      this.counters.transfersCompleted++;
      this.log.info(fields, "bytestream finished");
    } else {
      this.counters.transfersFailed++;
      const limit = outcome.error instanceof TransferLimitError;
      this.log[limit ? "warn" : "info"]({ ...fields, reason: outcome.error.message }, limit ? "bytestream stopped: proxy.maxTransferBytes reached" : "bytestream ended abnormally");
    }
  }
}

function listenError(address: string, port: number, err: NodeJS.ErrnoException): ChatctlError {
  return new ChatctlError(
    "CHATCTL_E_LISTEN",
    `cannot listen on ${address} port ${port} (SOCKS5 proxy): ${err.code ?? err.message}`,
    ExitCode.USAGE,
    err.code === "EADDRINUSE"
      ? `another process uses port ${port}; stop it or set proxy.port`
      : err.code === "EACCES"
        ? "ports below 1024 need root or CAP_NET_BIND_SERVICE; or set proxy.port"
        : "check proxy.addresses",
  );
}
