// Drives the roster and presence modules without sockets: a real VirtualHost and Router over the
// memory storage backend, with FakeSession standing in for client connections (the transport seam
// of STYLE-ANCHORS §4.4-11). Shared by the roster and presence tests.
import type { AuthProvider } from "../../../../src/auth/types.js";
import type { Config } from "../../../../src/config/types.js";
import { Jid } from "../../../../src/jid/jid.js";
import { silentLogger } from "../../../../src/log/logger.js";
import { iqModule } from "../../../../src/modules/iq/index.js";
import { presenceModule } from "../../../../src/modules/presence/index.js";
import { rosterModule } from "../../../../src/modules/roster/index.js";
import type { SessionUnbindEvent, StreamFeaturesEvent } from "../../../../src/router/events.js";
import { Router } from "../../../../src/router/router.js";
import { VirtualHost } from "../../../../src/server/host.js";
import type { ServerModule } from "../../../../src/server/module-api.js";
import { openMemoryStorage } from "../../../../src/storage/memory/index.js";
import type { StorageBackend } from "../../../../src/storage/types.js";
import type { StreamError } from "../../../../src/stanza/errors.js";
import type { Session, SessionState } from "../../../../src/stream/session.js";
import { type Element, x } from "../../../../src/xml/element.js";
import { NS } from "../../../../src/xml/ns.js";

export const DOMAIN = "example.com";

/** Accounts that exist; nothing else of authentication matters here. */
class FakeAuth implements AuthProvider {
  readonly name = "fake";
  constructor(readonly users: Set<string>) {}
  getScramCredentials(): undefined {
    return undefined;
  }
  async verify(): Promise<boolean> {
    return false;
  }
  userExists(user: string): boolean {
    return this.users.has(user);
  }
  createUser(user: string): void {
    this.users.add(user);
  }
  setPassword(): void {}
  deleteUser(user: string): void {
    this.users.delete(user);
  }
  listUsers(): string[] {
    return [...this.users];
  }
  groups(): string[] {
    return [];
  }
}

let sessionCounter = 0;

/** A client connection that records what the server sends it. */
export class FakeSession implements Session {
  readonly kind = "c2s" as const;
  readonly id = "fake" + ++sessionCounter;
  readonly remoteAddress = "127.0.0.1";
  readonly remotePort = 5222;
  readonly connectedAt = new Date();
  readonly tlsVersion = "TLSv1.3";
  readonly secure = true;
  readonly directTls = false;
  readonly canStartTls = false;
  readonly log = silentLogger();
  state: SessionState = "connected";
  username: string | undefined;
  jid: Jid | undefined;
  presence: Element | undefined;
  priority = 0;
  /** Everything sent to this client, oldest first. */
  readonly sent: Element[] = [];
  private ids = 0;

  constructor(private readonly server: TestServer) {}

  get host(): string {
    return this.server.domain;
  }

  send(el: Element | string): void {
    if (this.state === "closed") return;
    if (typeof el === "string") throw new Error("FakeSession only records elements");
    this.sent.push(el);
  }

  close(_error?: StreamError): void {
    this.disconnect("closed by server");
  }

  startTls(): void {
    throw new Error("no TLS on a fake session");
  }

  channelBindings(): Partial<Record<"tls-exporter" | "tls-server-end-point", Buffer>> {
    return {};
  }

  authenticate(username: string): void {
    this.username = username;
    this.state = "authenticated";
  }

  bind(jid: Jid): void {
    this.jid = jid;
    this.state = "bound";
    const host = this.server.host;
    host.sessions.add(this);
    host.bus.fire("resource-bind", { session: this });
  }

  /** What C2sConnection does when the stream ends: leave the registry, then `resource-unbind`. */
  disconnect(reason = "closed by client"): void {
    const host = this.server.host;
    if (this.state === "bound" && host.sessions.remove(this)) {
      host.bus.fire<SessionUnbindEvent>("resource-unbind", { session: this, reason });
    }
    this.state = "closed";
  }

  /** A stanza from this client, through the router as a bound c2s stream hands it over. */
  write(stanza: Element): void {
    this.server.router.process(this, stanza);
  }

  /** Sends an IQ and returns the server's reply to it. */
  iq(type: "get" | "set", payload: Element, to?: string): Element {
    const id = "q" + ++this.ids;
    this.write(x("iq", { type, id, to }, payload));
    const reply = this.sent.find((el) => el.name === "iq" && el.attrs.id === id && (el.attrs.type === "result" || el.attrs.type === "error"));
    if (!reply) throw new Error(`no reply to IQ ${id}`);
    this.sent.splice(this.sent.indexOf(reply), 1);
    return reply;
  }

  rosterGet(ver?: string): Element {
    return this.iq("get", x("query", { xmlns: NS.ROSTER, ver }));
  }

  rosterSet(item: Element): Element {
    return this.iq("set", x("query", { xmlns: NS.ROSTER }, item));
  }

  presenceTo(to: string | undefined, type?: string, ...children: Element[]): void {
    this.write(x("presence", { to, type }, children));
  }

  /** Returns and forgets what was sent so far. */
  take(): Element[] {
    return this.sent.splice(0, this.sent.length);
  }

  /** Roster pushes received (and forgets everything received). */
  takePushes(): Element[] {
    return this.take().filter((el) => el.name === "iq" && el.attrs.type === "set" && el.getChild("query", NS.ROSTER));
  }

  /** Presence stanzas received (and forgets everything received). */
  takePresence(): Element[] {
    return this.take().filter((el) => el.name === "presence");
  }
}

export interface ServerOptions {
  users?: string[];
  storage?: StorageBackend;
  modules?: ServerModule[];
}

/** One virtual host with the roster and presence modules, reachable through a Router. */
export class TestServer {
  readonly domain = DOMAIN;
  readonly storage: StorageBackend;
  readonly auth: FakeAuth;
  router!: Router;
  host!: VirtualHost;
  private readonly modules: ServerModule[];

  private constructor(opts: ServerOptions) {
    this.storage = opts.storage ?? openMemoryStorage();
    this.auth = new FakeAuth(new Set(opts.users ?? ["alice", "bob", "carol"]));
    this.modules = opts.modules ?? [iqModule, rosterModule, presenceModule];
  }

  static async start(opts: ServerOptions = {}): Promise<TestServer> {
    const server = new TestServer(opts);
    await server.boot();
    return server;
  }

  private async boot(): Promise<void> {
    const log = silentLogger();
    const directory = { lookup: (domain: string) => (domain === this.domain ? this.host : undefined) };
    this.router = new Router(directory, log);
    this.host = new VirtualHost(this.domain, { domain: this.domain } as unknown as Config, log, this.storage, this.auth, this.router);
    for (const m of this.modules) await this.host.load(m);
  }

  /** A process restart: every session is gone, a new host loads the modules over the same storage. */
  async restart(): Promise<void> {
    for (const s of [...this.host.sessions.all()]) (s as FakeSession).disconnect("system-shutdown");
    await this.host.unloadAll();
    await this.boot();
  }

  /** An authenticated, bound client session. */
  connect(user: string, resource: string): FakeSession {
    const session = new FakeSession(this);
    session.authenticate(user);
    session.bind(Jid.parse(`${user}@${this.domain}/${resource}`));
    return session;
  }

  /** A client that fetched its roster and sent initial presence, with both answers discarded. */
  online(user: string, resource: string, ...presenceChildren: Element[]): FakeSession {
    const session = this.connect(user, resource);
    session.rosterGet();
    session.presenceTo(undefined, undefined, ...presenceChildren);
    session.take();
    return session;
  }

  /** The stream features a session in this state would be offered. */
  features(session: Session): Element {
    const features = x("stream:features");
    this.host.bus.fire<StreamFeaturesEvent>("stream-features", { session, features });
    return features;
  }
}

// ---- Assertion helpers -----------------------------------------------------------------------

/** The roster items of a query as plain records, keyed by JID. */
export function itemsOf(query: Element | undefined): Map<string, { name?: string; subscription?: string; ask?: string; groups: string[] }> {
  const out = new Map<string, { name?: string; subscription?: string; ask?: string; groups: string[] }>();
  for (const item of query?.getChildren("item") ?? []) {
    out.set(item.attrs.jid!, {
      name: item.attrs.name,
      subscription: item.attrs.subscription,
      ask: item.attrs.ask,
      groups: item.getChildren("group").map((g) => g.getText()),
    });
  }
  return out;
}

/** The roster as the account's client would fetch it now (through a throwaway session). */
export function rosterOf(server: TestServer, user: string): ReturnType<typeof itemsOf> {
  const probe = server.connect(user, "inspect-" + ++sessionCounter);
  const result = probe.rosterGet();
  probe.disconnect();
  return itemsOf(result.getChild("query", NS.ROSTER));
}

/** The error condition of an error reply, or undefined. */
export function errorCondition(reply: Element): string | undefined {
  if (reply.attrs.type !== "error") return undefined;
  return reply.getChild("error")?.elements.find((c) => c.attrs.xmlns === NS.STANZA_ERRORS)?.name;
}

/** A short description of presence stanzas, for readable assertions: "type from→to". */
export function summary(presences: Element[]): string[] {
  return presences.map((p) => `${p.attrs.type ?? "available"} ${p.attrs.from ?? ""}→${p.attrs.to ?? ""}`);
}
