// The only surface a feature module sees (DESIGN.md "A feature module sees only its ModuleContext").
// Everything registered through it is undone when the host unloads the module or shuts down.
import type { AuthProvider } from "../auth/types.js";
import type { Config } from "../config/types.js";
import type { Logger } from "../log/logger.js";
import type { Addr } from "../router/events.js";
import type { StanzaError } from "../stanza/errors.js";
import type { SessionRegistry } from "../stream/registry.js";
import type { Session } from "../stream/session.js";
import type { ArchiveStore, Json, KeyValueStore, MapStore, StorageBackend } from "../storage/types.js";
import type { Jid } from "../jid/jid.js";
import type { Element } from "../xml/element.js";

export interface ServerModule {
  readonly name: string;
  setup(ctx: ModuleContext): void | Promise<void>;
}

export interface IqRequest {
  /** The full IQ stanza. */
  stanza: Element;
  /** Its single payload element. */
  payload: Element;
  from: Jid;
  to: Jid;
  /** The local session it came from, when a local client sent it. */
  origin: Session | undefined;
}

/**
 * xmpp.js callee contract: return the result payload (Element), `true` for an empty result, a
 * StanzaError for an error reply, or undefined to pass (→ service-unavailable when nobody answers).
 * A throw becomes internal-server-error.
 */
export type IqHandler = (req: IqRequest) => Element | true | StanzaError | undefined | Promise<Element | true | StanzaError | undefined>;

export interface DiscoIdentity {
  category: string;
  type: string;
  name?: string;
}

export interface ModuleContext {
  readonly host: string;
  readonly config: Config;
  readonly log: Logger;
  readonly sessions: SessionRegistry;
  readonly auth: AuthProvider;
  /** The storage backend itself, for batching (transaction) and maintenance (size); features use the stores below. */
  readonly storage: StorageBackend;
  /** What modules declared for disco (read by the disco module). */
  readonly disco: DiscoRegistry;

  /** Hooks a bus event; removed automatically on unload. */
  hook<P>(event: string, handler: (payload: P) => unknown, priority?: number): void;
  /** Fires an event on this host's bus (module-to-module events such as `roster-item-changed`). */
  fire<P>(event: string, payload: P): unknown;
  /** Serves IQs of one type addressed to an account's bare JID, the host, or the sender's own account. */
  iq(type: "get" | "set", addr: Exclude<Addr, "full">, ns: string, name: string, handler: IqHandler): void;

  /** Disco features of the server (host); the disco module renders them. */
  addFeature(ns: string): void;
  addIdentity(identity: DiscoIdentity): void;
  /** Disco features advertised on every account's bare JID (e.g. PEP, MAM). */
  addAccountFeature(ns: string): void;
  /** Disco identities of every account beside account/registered (e.g. pubsub/pep). */
  addAccountIdentity(identity: DiscoIdentity): void;

  keyval<V extends Json = Json>(store: string): KeyValueStore<V>;
  map<V extends Json = Json>(store: string): MapStore<V>;
  archive(store: string): ArchiveStore;

  /** Runs fn every `intervalMs` (timer unref'd; errors logged; stopped on unload). */
  every(intervalMs: number, name: string, fn: () => void | Promise<void>): void;
  onClose(fn: () => void | Promise<void>): void;

  /** Routes a stanza through the router as if the server sent it (from/to must be set). */
  route(stanza: Element): void;
  /** Bounces an error for a stanza back to its sender. */
  bounce(stanza: Element, error: StanzaError): void;
}

/** A service the host lists in its disco#items (XEP-0030 §4), e.g. conference.<domain>. */
export interface DiscoServiceItem {
  jid: string;
  name?: string;
}

/** What the disco module reads from its host. */
export interface DiscoRegistry {
  features(): readonly string[];
  identities(): readonly DiscoIdentity[];
  accountFeatures(): readonly string[];
  accountIdentities(): readonly DiscoIdentity[];
  serviceItems(): readonly DiscoServiceItem[];
}
