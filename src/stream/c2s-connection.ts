// One client-to-server stream (RFC 6120 §4): framing, the stream header and features, restarts,
// STARTTLS upgrade and stream errors. It knows no feature: stream features come from the
// `stream-features` event, negotiation elements from `stanza/<ns>:<name>` events, and bound
// stanzas go to the router.
import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import type { TlsOptions } from "node:tls";
import type { Jid } from "../jid/jid.js";
import { isLevelEnabled, type Logger } from "../log/logger.js";
import type { NonzaEvent, SessionUnbindEvent, StreamFeaturesEvent } from "../router/events.js";
import type { HookBus } from "../router/hook-bus.js";
import type { Router } from "../router/router.js";
import { StreamError, type StreamErrorCondition } from "../stanza/errors.js";
import { isStanzaName } from "../stanza/stanza.js";
import { Element, escapeAttr, x } from "../xml/element.js";
import { NS } from "../xml/ns.js";
import { StreamParser, type StreamEvent } from "../xml/stream-parser.js";
import { randomHex } from "./random-pool.js";
import type { SessionRegistry } from "./registry.js";
import type { Session, SessionState } from "./session.js";

export interface C2sLimits {
  maxStanzaBytesPreAuth: number;
  maxStanzaBytes: number;
  maxDepth: number;
  maxChildren: number;
}

/** What a c2s stream needs from the host it is opened for. */
export interface C2sHost {
  readonly domain: string;
  readonly bus: HookBus;
  readonly sessions: SessionRegistry;
}

export interface C2sEnvironment {
  lookupHost(domain: string): C2sHost | undefined;
  router: Router;
  /** Options for wrapping a socket in TLS after STARTTLS (secure context, SNI callback). */
  tlsOptions(): TlsOptions;
  limits: C2sLimits;
  log: Logger;
  onClose(conn: C2sConnection): void;
}

/** The connection a socket belongs to, for the socket listeners shared by all connections. */
const CONNECTION = Symbol("c2sConnection");
type OwnedSocket = Socket & { [CONNECTION]?: C2sConnection };

let counter = 0;
function newSessionId(): string {
  return "c2s" + (++counter).toString(36) + randomHex(3);
}

export class C2sConnection implements Session {
  readonly kind = "c2s" as const;
  readonly id = newSessionId();
  /** Epoch milliseconds; a number rather than a Date because thousands of idle sessions keep one each. */
  readonly connectedAtMs = Date.now();
  readonly remoteAddress: string;
  readonly remotePort: number;
  state: SessionState = "connected";
  host = "";
  username: string | undefined;
  jid: Jid | undefined;
  presence: Element | undefined;
  priority = 0;
  /** Last time bytes were written, for the keepalive sweep. */
  lastWrite = Date.now();
  lastRead = Date.now();

  private socket: Socket;
  private readonly parser: StreamParser;
  private hostRef: C2sHost | undefined;
  private headerSent = false;
  /** Text written this tick, sent as one socket write (one TLS record) by flush(). */
  private pending = "";
  private closing = false;
  private streamId = "";
  /** Channel bindings of the current TLS session, computed once (see channelBindings()). */
  private bindings: Partial<Record<"tls-exporter" | "tls-unique", Buffer>> | undefined;
  /** Bumped at every stream restart: events parsed before it are stale (STARTTLS injection). */
  private generation = 0;
  /** Created on first use: most sessions never write a line of their own at the usual levels. */
  private sessionLog: Logger | undefined;

  constructor(
    socket: Socket,
    readonly directTls: boolean,
    private readonly env: C2sEnvironment,
  ) {
    this.socket = socket;
    this.remoteAddress = normaliseAddress(socket.remoteAddress ?? "");
    this.remotePort = socket.remotePort ?? 0;
    this.parser = new StreamParser({
      maxStanzaBytes: env.limits.maxStanzaBytesPreAuth,
      maxDepth: env.limits.maxDepth,
      maxChildren: env.limits.maxChildren,
    });
    this.attach(socket);
    this.note("debug", { remote: `${this.remoteAddress}:${this.remotePort}`, directTls }, "client connected");
  }

  get connectedAt(): Date {
    return new Date(this.connectedAtMs);
  }

  get log(): Logger {
    return (this.sessionLog ??= this.env.log.child({ session: this.id }));
  }

  /**
   * Whether lines of this level are written, asked of the parent so that the session's own logger
   * is not created just to drop a line (children take the parent's level when created).
   */
  private logs(level: "debug" | "info"): boolean {
    return isLevelEnabled(this.sessionLog ?? this.env.log, level);
  }

  /** One line of the connection's own, through the session's logger only when it is written. */
  private note(level: "debug" | "info", fields: object | string, msg?: string): void {
    if (this.logs(level)) this.log[level](fields, msg);
  }

  get secure(): boolean {
    return this.socket instanceof TLSSocket && this.socket.encrypted === true;
  }

  get tlsVersion(): string | undefined {
    return this.socket instanceof TLSSocket ? (this.socket.getProtocol() ?? undefined) : undefined;
  }

  get canStartTls(): boolean {
    return !this.secure && this.state === "connected";
  }

  /**
   * The listeners are shared by all connections (a closure per listener and connection would cost
   * every idle session ~150 bytes), and find their connection through the socket. After STARTTLS
   * the plain socket keeps them but is ignored: removing them would delete keys from its
   * `_events` object and turn it into a larger dictionary-mode object for the session's life.
   */
  private attach(socket: Socket): void {
    (socket as OwnedSocket)[CONNECTION] = this;
    socket.on("data", C2sConnection.onSocketData);
    socket.on("error", C2sConnection.onSocketError);
    socket.on("close", C2sConnection.onSocketClose);
  }

  private static onSocketData(this: OwnedSocket, chunk: Buffer): void {
    const conn = this[CONNECTION];
    if (conn !== undefined && conn.socket === this) conn.onData(chunk);
  }

  private static onSocketError(this: OwnedSocket, err: Error): void {
    const conn = this[CONNECTION];
    conn?.note("debug", { err: err.message }, "socket error");
  }

  private static onSocketClose(this: OwnedSocket): void {
    const conn = this[CONNECTION];
    if (conn !== undefined && conn.socket === this) conn.onSocketClosed();
  }

  private onData(chunk: Buffer): void {
    this.lastRead = Date.now();
    let events: StreamEvent[];
    try {
      events = this.parser.write(chunk);
    } catch (err) {
      this.log.error({ err }, "parser failure");
      this.close(new StreamError("internal-server-error"));
      return;
    }
    const generation = this.generation;
    for (const ev of events) {
      if (this.state === "closed" || this.closing) return;
      // Anything a client pipelined after <starttls/> (or SASL success) in the same read was sent
      // before the restart: RFC 6120 §5.4.3.3 says to discard it, never to process it.
      if (generation !== this.generation) return;
      try {
        this.onStreamEvent(ev);
      } catch (err) {
        // A bug in one handler must never take down the server; this stream alone is closed.
        this.log.error({ err }, "unhandled error while processing a stanza");
        this.close(new StreamError("internal-server-error"));
        return;
      }
    }
  }

  private onStreamEvent(ev: StreamEvent): void {
    switch (ev.kind) {
      case "open":
        this.onStreamOpen(ev.attrs);
        return;
      case "element":
        this.onElement(ev.el);
        return;
      case "close":
        this.note("debug", "client closed the stream");
        this.closeStream();
        return;
      case "error":
        this.note("debug", { condition: ev.condition, text: ev.text }, "stream parse error");
        this.close(new StreamError(ev.condition as StreamErrorCondition, ev.text));
        return;
    }
  }

  private onStreamOpen(attrs: Record<string, string>): void {
    if (this.hostRef === undefined) {
      const to = (attrs.to ?? "").toLowerCase().replace(/\.$/, "");
      const host = this.env.lookupHost(to);
      if (!host) {
        this.close(new StreamError("host-unknown", to ? `this server does not serve ${to}` : "the stream header has no 'to' address"));
        return;
      }
      this.hostRef = host;
      this.host = host.domain;
    }
    this.streamId = randomHex(8);
    this.sendHeader();
    if (attrs.xmlns !== NS.CLIENT) {
      this.close(new StreamError("invalid-namespace", "the content namespace must be jabber:client"));
      return;
    }
    const major = Number((attrs.version ?? "0").split(".")[0]);
    if (!(major >= 1)) {
      this.close(new StreamError("unsupported-version", "XMPP 1.0 streams only"));
      return;
    }
    const features = x("stream:features");
    this.hostRef!.bus.fire<StreamFeaturesEvent>("stream-features", { session: this, features });
    this.send(features);
  }

  private sendHeader(): void {
    const host = this.host || "";
    this.write(
      `<?xml version='1.0'?><stream:stream xmlns='${NS.CLIENT}' xmlns:stream='${NS.STREAMS}' ` +
        `id='${this.streamId}' from='${escapeAttr(host)}' version='1.0' xml:lang='en'>`,
    );
    this.headerSent = true;
  }

  private onElement(el: Element): void {
    const host = this.hostRef;
    if (!host) return;
    const isStanza = el.attrs.xmlns === undefined && isStanzaName(el.name);
    if (this.state === "bound" && isStanza) {
      this.env.router.process(this, el);
      return;
    }
    const ns = el.attrs.xmlns ?? NS.CLIENT;
    const handled = host.bus.fire<NonzaEvent>(`stanza/${ns}:${el.name}`, { session: this, el });
    if (handled !== undefined) return;
    if (this.state !== "bound" && isStanza) {
      this.close(new StreamError("not-authorized", "authenticate and bind a resource first"));
    } else {
      this.close(new StreamError("unsupported-stanza-type", `unsupported element <${el.name}> in ${ns}`));
    }
  }

  // ---- Session capabilities ----------------------------------------------------------------

  send(el: Element | string): void {
    if (this.state === "closed" || this.closing) return;
    this.write(typeof el === "string" ? el : el.toString());
  }

  /**
   * Writes are joined and flushed once per tick, so a burst of stanzas becomes one TLS record and
   * one system call. Joining the strings here rather than cork()/uncork() skips the stream's
   * per-chunk bookkeeping and writev (about 10% of the time spent sending, bench W1/W3), and the
   * flush is scheduled without allocating a closure.
   */
  private write(data: string): void {
    if (this.socket.destroyed) return;
    if (this.pending === "") process.nextTick(flushConnection, this);
    this.pending += data;
    this.lastWrite = Date.now();
  }

  /** Sends what write() gathered; run by nextTick, and directly before a STARTTLS swap or a close. */
  flush(): void {
    const data = this.pending;
    if (data === "") return;
    this.pending = "";
    if (!this.socket.destroyed) this.socket.write(data);
  }

  startTls(): void {
    if (!this.canStartTls) throw new Error("STARTTLS not possible in this state");
    this.flush();
    const raw = this.socket;
    this.bindings = undefined;
    // The options carry the current context as `secureContext`. Their SNICallback (which hands a
    // tls.Server's clients the current context after a reload) would only return that same
    // context here, and it costs every handshake a pause for a JS certificate callback.
    const { SNICallback: _sameContext, ...options } = this.env.tlsOptions();
    const secure = new TLSSocket(raw, { ...options, isServer: true });
    this.socket = secure;
    this.restartParser();
    this.attach(secure);
    // Only when it will be written: getCipher() is a native call, and the listener a closure kept
    // for the connection's life.
    if (this.logs("debug")) {
      secure.on("secure", () => this.log.debug({ tls: secure.getProtocol(), cipher: secure.getCipher()?.name }, "STARTTLS complete"));
    }
  }

  private restartParser(): void {
    this.generation++;
    this.parser.reset();
  }

  channelBindings(): Partial<Record<"tls-exporter" | "tls-unique", Buffer>> {
    // Asked twice per login (the SASL feature list, then the exchange); exportKeyingMaterial is
    // ~50 µs, and the values are fixed once the handshake is done. Dropped at authenticate().
    if (this.bindings !== undefined) return this.bindings;
    const bindings = this.computeChannelBindings();
    if (this.secure) this.bindings = bindings;
    return bindings;
  }

  private computeChannelBindings(): Partial<Record<"tls-exporter" | "tls-unique", Buffer>> {
    const s = this.socket;
    if (!(s instanceof TLSSocket) || !s.encrypted) return {};
    // RFC 9266: tls-exporter is only defined (and safe) for TLS 1.3.
    if (s.getProtocol() !== "TLSv1.3") return {};
    const out: Partial<Record<"tls-exporter" | "tls-unique", Buffer>> = {};
    try {
      out["tls-exporter"] = s.exportKeyingMaterial(32, "EXPORTER-Channel-Binding", Buffer.alloc(0));
    } catch {
      return {};
    }
    // Clients unaware of XEP-0440 (slixmpp, older desktop clients) send tls-unique even over
    // TLS 1.3, computed by OpenSSL from the first Finished message of the handshake; accept it
    // (computed the same way) rather than fail their login, but never advertise it.
    const unique = s.isSessionReused() ? s.getFinished() : s.getPeerFinished();
    if (unique) out["tls-unique"] = unique;
    return out;
  }

  authenticate(username: string): void {
    this.username = username;
    this.state = "authenticated";
    this.bindings = undefined;
    this.restartParser();
    this.parser.setLimits({ maxStanzaBytes: this.env.limits.maxStanzaBytes });
    this.note("info", { user: username }, "authenticated");
  }

  bind(jid: Jid): void {
    const host = this.hostRef;
    if (!host) throw new Error("bind before stream open");
    // RFC 6120 §7.7.2.2: the new session wins; the old one gets <conflict/>. It is closed (and
    // unbound, so its unavailable presence goes out) before the new one takes its place.
    const existing = host.sessions.get(jid.local, jid.resource);
    if (existing && existing !== this) existing.close(new StreamError("conflict", "replaced by a new connection"));
    this.jid = jid;
    this.state = "bound";
    host.sessions.add(this);
    this.note("info", { jid: jid.toString() }, "resource bound");
    host.bus.fire("resource-bind", { session: this });
  }

  /** A stream error (when given) then the closing tag; the socket ends once flushed. */
  close(error?: StreamError): void {
    if (this.closing || this.state === "closed") return;
    if (error) {
      if (!this.headerSent) this.sendHeader();
      this.write(error.toElement().toString());
      this.note("debug", { condition: error.condition, text: error.text }, "stream error sent");
    }
    this.closeStream(error?.condition ?? "closed by server");
  }

  private closeStream(reason = "closed by client"): void {
    if (this.closing || this.state === "closed") return;
    this.closing = true;
    if (this.headerSent) this.write("</stream:stream>");
    this.flush();
    this.unbind(reason);
    this.state = "closed";
    this.socket.end();
    // A peer that never answers our closing tag must not keep the socket forever.
    setTimeout(() => this.socket.destroy(), 5000).unref();
  }

  private onSocketClosed(): void {
    this.unbind("connection lost");
    this.closing = true;
    this.state = "closed";
    this.env.onClose(this);
  }

  private unbind(reason: string): void {
    const host = this.hostRef;
    if (host && this.state === "bound" && host.sessions.remove(this)) {
      host.bus.fire<SessionUnbindEvent>("resource-unbind", { session: this, reason });
      this.note("info", { reason }, "session ended");
    }
  }

  /** Called by the listener's sweep: the RFC 6120 §4.6.1 whitespace keepalive. */
  keepalive(): void {
    if (this.headerSent && !this.closing) this.write(" ");
  }

  /** Forcefully drops the connection (shutdown deadline reached). */
  destroy(): void {
    this.socket.destroy();
  }
}

function flushConnection(conn: C2sConnection): void {
  conn.flush();
}

function normaliseAddress(addr: string): string {
  return addr.startsWith("::ffff:") ? addr.slice(7) : addr;
}
