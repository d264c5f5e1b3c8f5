// A minimal XMPP client for load generation: TCP, stream header, STARTTLS, SASL SCRAM-SHA-1,
// resource binding, optional legacy session and initial presence; then raw stanza strings in and
// out. Everything above the socket is string scanning (scan.ts): the generator must not be the
// bottleneck of a benchmark, so there is no DOM, no event emitter per stanza, no promise per
// stanza once the session is up.
import net from "node:net";
import tls from "node:tls";
import { attr, childText, escapeXml, StreamScanner, type Scanned } from "./scan.js";
import { ScramClient } from "./scram.js";

export const NS_TLS = "urn:ietf:params:xml:ns:xmpp-tls";
export const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
export const NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind";
export const NS_SESSION = "urn:ietf:params:xml:ns:xmpp-session";

/** Where a server listens and which domain it serves. */
export interface Endpoint {
  host: string;
  port: number;
  domain: string;
}

export interface LoginOptions {
  user: string;
  password: string;
  resource: string;
  /** Initial presence to send once bound (raw XML), or false for none. */
  presence: string | false;
  /** The whole login must finish within this many milliseconds. */
  timeoutMs: number;
}

export type StanzaHandler = (el: Scanned) => void;

/** Thrown for any login failure; `stage` says how far the login got. */
export class LoginError extends Error {
  constructor(
    readonly stage: string,
    message: string,
  ) {
    super(`${stage}: ${message}`);
  }
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const unb64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

export class XmppConnection {
  /** The bound full JID. */
  jid = "";
  /** Called for every top-level element once the login finished (stanzas, stream errors, the stream close). */
  onStanza: StanzaHandler | undefined;
  /** Called once when the socket is closed, for whatever reason. */
  onClose: ((error: Error | undefined) => void) | undefined;
  closed = false;
  /** Millisecond timings of the login, from the start of the TCP connect. */
  readonly timing = { tcp: 0, tls: 0, auth: 0, bound: 0 };

  private sock: net.Socket | tls.TLSSocket;
  private readonly scanner = new StreamScanner();
  private queue: Scanned[] = [];
  private waiter: { resolve: (el: Scanned) => void; reject: (err: Error) => void } | undefined;
  private ready = false;
  private lastError: Error | undefined;
  private stage = "connect";
  /** Default wait of nextElement() (the login timeout during a login). */
  private waitMs = 30_000;
  /** Rejects when the connection fails or closes; raced against the login steps that are not element waits. */
  private readonly failed: Promise<never>;
  private fail: (err: Error) => void = () => {};

  private constructor(private readonly ep: Endpoint, sock: net.Socket) {
    this.sock = sock;
    this.failed = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    this.failed.catch(() => {});
  }

  /** Connects, negotiates TLS, authenticates, binds; resolves once the session is usable. */
  static async login(ep: Endpoint, opts: LoginOptions): Promise<XmppConnection> {
    const started = performance.now();
    const raw = net.connect({ host: ep.host, port: ep.port, noDelay: true });
    const c = new XmppConnection(ep, raw);
    c.waitMs = opts.timeoutMs;
    c.attach(raw, false);
    const timer = setTimeout(() => c.abort(new LoginError(c.stage, `login took longer than ${opts.timeoutMs} ms`)), opts.timeoutMs);
    try {
      await Promise.race([
        new Promise<void>((resolve, reject) => {
          raw.once("connect", resolve);
          raw.once("error", reject);
        }),
        c.failed,
      ]);
      c.timing.tcp = performance.now() - started;

      c.stage = "stream";
      c.sendHeader();
      await c.expect("stream:stream");
      let features = await c.expect("stream:features");
      if (!features.xml.includes(NS_TLS)) throw new LoginError("starttls", "server does not offer STARTTLS");
      c.stage = "starttls";
      c.write(`<starttls xmlns='${NS_TLS}'/>`);
      const proceed = await c.nextElement();
      if (proceed.name !== "proceed") throw new LoginError("starttls", `expected <proceed/>, got ${proceed.xml.slice(0, 200)}`);
      await Promise.race([c.startTls(raw), c.failed]);
      c.timing.tls = performance.now() - started;

      c.stage = "sasl";
      c.sendHeader();
      await c.expect("stream:stream");
      features = await c.expect("stream:features");
      if (!features.xml.includes(">SCRAM-SHA-1<")) throw new LoginError("sasl", `server does not offer SCRAM-SHA-1: ${features.xml.slice(0, 300)}`);
      const scram = new ScramClient(opts.user, opts.password);
      c.write(`<auth xmlns='${NS_SASL}' mechanism='SCRAM-SHA-1'>${b64(scram.initial())}</auth>`);
      const challenge = await c.nextElement();
      if (challenge.name !== "challenge") throw new LoginError("sasl", saslFailure(challenge));
      c.write(`<response xmlns='${NS_SASL}'>${b64(scram.respond(unb64(childText(challenge.xml, "challenge") ?? "")))}</response>`);
      let outcome = await c.nextElement();
      if (outcome.name === "challenge") {
        // Additional data with the server signature sent as a challenge (RFC 6120 §6.3.10 allows either).
        const final = unb64(childText(outcome.xml, "challenge") ?? "");
        if (!scram.verify(final)) throw new LoginError("sasl", "server signature does not verify");
        c.write(`<response xmlns='${NS_SASL}'/>`);
        outcome = await c.nextElement();
        if (outcome.name !== "success") throw new LoginError("sasl", saslFailure(outcome));
      } else if (outcome.name === "success") {
        const final = unb64(childText(outcome.xml, "success") ?? "");
        if (final !== "" && !scram.verify(final)) throw new LoginError("sasl", "server signature does not verify");
      } else {
        throw new LoginError("sasl", saslFailure(outcome));
      }
      c.timing.auth = performance.now() - started;

      c.stage = "bind";
      c.scanner.reset();
      c.sendHeader();
      await c.expect("stream:stream");
      features = await c.expect("stream:features");
      if (!features.xml.includes(NS_BIND)) throw new LoginError("bind", "server does not offer resource binding");
      c.write(`<iq type='set' id='bind1'><bind xmlns='${NS_BIND}'><resource>${escapeXml(opts.resource)}</resource></bind></iq>`);
      const bound = await c.nextElement();
      if (bound.name !== "iq" || attr(bound.xml, "type") !== "result") throw new LoginError("bind", bound.xml.slice(0, 300));
      c.jid = childText(bound.xml, "jid") ?? "";
      if (features.xml.includes(NS_SESSION) && !sessionOptional(features.xml)) {
        c.stage = "session";
        c.write(`<iq type='set' id='sess1'><session xmlns='${NS_SESSION}'/></iq>`);
        const sess = await c.nextElement();
        if (sess.name !== "iq" || attr(sess.xml, "type") !== "result") throw new LoginError("session", sess.xml.slice(0, 300));
      }
      c.timing.bound = performance.now() - started;
      c.stage = "ready";
      c.ready = true;
      if (opts.presence !== false) c.write(opts.presence);
      return c;
    } catch (err) {
      c.destroy();
      throw err instanceof LoginError ? err : new LoginError(c.stage, (err as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  get domain(): string {
    return this.ep.domain;
  }

  write(xml: string): void {
    if (!this.closed) this.sock.write(xml);
  }

  cork(): void {
    this.sock.cork();
  }

  uncork(): void {
    this.sock.uncork();
  }

  /** Elements that arrived after the login but before onStanza was set. */
  takeQueued(): Scanned[] {
    const q = this.queue;
    this.queue = [];
    return q;
  }

  /** Waits for the next element (tests and setup steps; not the hot path). */
  nextElement(timeoutMs = this.waitMs): Promise<Scanned> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closed) return Promise.reject(this.lastError ?? new Error("connection closed"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no element within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = {
        resolve: (el) => {
          clearTimeout(timer);
          resolve(el);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
    });
  }

  /** Closes the stream politely; the socket is destroyed if the server has not closed it within `graceMs`. */
  close(graceMs = 2000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const prev = this.onClose;
      const timer = setTimeout(() => this.destroy(), graceMs);
      this.onClose = (err) => {
        clearTimeout(timer);
        prev?.(err);
        resolve();
      };
      this.sock.end("</stream:stream>");
    });
  }

  destroy(): void {
    this.sock.destroy();
  }

  private abort(err: Error): void {
    this.lastError = err;
    this.rejectWaiter(err);
    this.fail(err);
    this.destroy();
  }

  private sendHeader(): void {
    this.write(
      `<?xml version='1.0'?><stream:stream to='${this.ep.domain}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`,
    );
  }

  private async expect(name: string): Promise<Scanned> {
    const el = await this.nextElement();
    if (el.name === name) return el;
    if (el.name === "stream:error") throw new LoginError(this.stage, `stream error ${el.xml.slice(0, 300)}`);
    throw new LoginError(this.stage, `expected <${name}>, got ${el.xml.slice(0, 300)}`);
  }

  private attach(sock: net.Socket, encoded: boolean): void {
    const onData = (chunk: Buffer | string) => {
      this.scanner.push(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
      this.drain();
    };
    if (encoded) sock.setEncoding("utf8");
    sock.on("data", onData);
    sock.on("error", (err) => {
      this.lastError = err;
    });
    sock.on("close", () => {
      if (sock !== this.sock) return;
      this.closed = true;
      const err = this.lastError ?? new Error("connection closed by the server");
      this.rejectWaiter(err);
      this.fail(err);
      this.onClose?.(this.lastError);
    });
  }

  private startTls(raw: net.Socket): Promise<void> {
    raw.removeAllListeners("data");
    raw.removeAllListeners("close");
    this.scanner.reset();
    return new Promise((resolve, reject) => {
      const secure = tls.connect({ socket: raw, servername: this.ep.domain, rejectUnauthorized: false });
      this.sock = secure;
      this.attach(secure, true);
      secure.once("secureConnect", resolve);
      secure.once("error", reject);
    });
  }

  private drain(): void {
    for (let el = this.scanner.next(); el !== undefined; el = this.scanner.next()) {
      if (this.ready && this.onStanza !== undefined) this.onStanza(el);
      else this.queue.push(el);
    }
    if (this.waiter !== undefined && this.queue.length > 0) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(this.queue.shift()!);
    }
  }

  private rejectWaiter(err: Error): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(err);
  }
}

function saslFailure(el: Scanned): string {
  if (el.name === "failure") {
    const m = /<([a-z-]+)(?: [^>]*)?\/?>/.exec(el.xml.slice(el.xml.indexOf(">") + 1));
    return `SASL failure${m ? ` (${m[1]})` : ""}: ${el.xml.slice(0, 300)}`;
  }
  return `unexpected ${el.xml.slice(0, 300)}`;
}

/** RFC 6121 legacy session: needed only when advertised without <optional/>. */
function sessionOptional(features: string): boolean {
  const i = features.indexOf(NS_SESSION);
  const end = features.indexOf("</session>", i);
  if (end < 0) return false; // <session/> self-closed: mandatory (RFC 3921)
  return features.slice(i, end).includes("optional");
}
