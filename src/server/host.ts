// A virtual host: its bus, session registry, disco registry and loaded modules. Builds each
// module's ModuleContext and records everything the module registers so unload undoes it.
import type { AuthProvider } from "../auth/types.js";
import type { Config } from "../config/types.js";
import { Jid } from "../jid/jid.js";
import type { Logger } from "../log/logger.js";
import type { Addr, StanzaEvent } from "../router/events.js";
import { payloadKey } from "../router/events.js";
import { HookBus } from "../router/hook-bus.js";
import { Priority } from "../router/priority.js";
import type { Router, RoutingHost } from "../router/router.js";
import { isStanzaError, StanzaError } from "../stanza/errors.js";
import { iqResult } from "../stanza/stanza.js";
import { SessionRegistry } from "../stream/registry.js";
import type { StorageBackend } from "../storage/types.js";
import type { Element } from "../xml/element.js";
import type { DiscoIdentity, DiscoRegistry, DiscoServiceItem, IqHandler, ModuleContext, ServerModule } from "./module-api.js";

interface Loaded {
  module: ServerModule;
  cleanups: Array<() => void | Promise<void>>;
}

export class VirtualHost implements RoutingHost, DiscoRegistry {
  readonly bus = new HookBus();
  readonly sessions = new SessionRegistry();
  private readonly featureCounts = new Map<string, number>();
  private readonly accountFeatureCounts = new Map<string, number>();
  private readonly identityList: DiscoIdentity[] = [];
  private readonly accountIdentityList: DiscoIdentity[] = [];
  private readonly serviceItemList: DiscoServiceItem[] = [];
  private readonly loaded: Loaded[] = [];

  constructor(
    readonly domain: string,
    readonly config: Config,
    readonly log: Logger,
    readonly storage: StorageBackend,
    readonly auth: AuthProvider,
    private readonly router: Router,
  ) {}

  features(): readonly string[] {
    return [...this.featureCounts.keys()];
  }
  accountFeatures(): readonly string[] {
    return [...this.accountFeatureCounts.keys()];
  }
  identities(): readonly DiscoIdentity[] {
    return this.identityList;
  }
  accountIdentities(): readonly DiscoIdentity[] {
    return this.accountIdentityList;
  }
  serviceItems(): readonly DiscoServiceItem[] {
    return this.serviceItemList;
  }

  /** Lists a service domain (a component host) in this host's disco#items. */
  addServiceItem(item: DiscoServiceItem): void {
    this.serviceItemList.push(item);
  }

  async load(module: ServerModule): Promise<void> {
    const loaded: Loaded = { module, cleanups: [] };
    this.loaded.push(loaded);
    await module.setup(this.contextFor(loaded));
    this.log.debug({ module: module.name }, "module loaded");
  }

  /** Unloads every module in reverse order, running what each registered to undo. */
  async unloadAll(): Promise<void> {
    while (this.loaded.length) {
      const l = this.loaded.pop()!;
      for (const fn of l.cleanups.reverse()) {
        try {
          await fn();
        } catch (err) {
          this.log.error({ err, module: l.module.name }, "module cleanup failed");
        }
      }
    }
  }

  private contextFor(loaded: Loaded): ModuleContext {
    const host = this;
    const log = this.log.child({ module: loaded.module.name });
    const cleanups = loaded.cleanups;
    const listed = (list: DiscoIdentity[], identity: DiscoIdentity) => {
      list.push(identity);
      cleanups.push(() => {
        const i = list.indexOf(identity);
        if (i >= 0) list.splice(i, 1);
      });
    };
    const count = (map: Map<string, number>, key: string) => {
      map.set(key, (map.get(key) ?? 0) + 1);
      cleanups.push(() => {
        const n = (map.get(key) ?? 1) - 1;
        if (n <= 0) map.delete(key);
        else map.set(key, n);
      });
    };
    return {
      host: this.domain,
      config: this.config,
      log,
      sessions: this.sessions,
      auth: this.auth,
      disco: this,
      storage: this.storage,
      hook: (event, handler, priority = Priority.DEFAULT) => {
        cleanups.push(this.bus.on(event, handler, priority));
      },
      fire: (event, payload) => this.bus.fire(event, payload),
      iq: (type, addr, ns, name, handler) => {
        const event = `iq-${type}/${addr}/${ns}:${name}`;
        cleanups.push(this.bus.on(event, (ev: StanzaEvent) => host.answerIq(ev, handler, log), Priority.DEFAULT));
      },
      addFeature: (ns) => count(this.featureCounts, ns),
      addAccountFeature: (ns) => count(this.accountFeatureCounts, ns),
      addIdentity: (identity) => listed(this.identityList, identity),
      addAccountIdentity: (identity) => listed(this.accountIdentityList, identity),
      keyval: (store) => this.storage.keyval(this.domain, store),
      map: (store) => this.storage.map(this.domain, store),
      archive: (store) => this.storage.archive(this.domain, store),
      every: (intervalMs, name, fn) => {
        const timer = setInterval(() => {
          Promise.resolve()
            .then(fn)
            .catch((err: unknown) => log.error({ err, job: name }, "scheduled job failed"));
        }, intervalMs);
        timer.unref();
        cleanups.push(() => clearInterval(timer));
      },
      onClose: (fn) => {
        cleanups.push(fn);
      },
      route: (stanza) => this.router.route(stanza),
      bounce: (stanza, error) => {
        const from = stanza.attrs.from;
        if (from === undefined) return;
        const jid = Jid.tryParse(from);
        if (jid) this.router.unroutable(stanza, jid, error);
      },
    };
  }

  /**
   * Runs an IQ handler and builds the reply envelope from what it returns (STYLE-ANCHORS §4.4-3).
   * Claims the event synchronously; the reply may follow asynchronously.
   */
  private answerIq(ev: StanzaEvent, handler: IqHandler, log: Logger): true | undefined {
    const payload = ev.stanza.elements[0];
    if (!payload) return undefined;
    let ret: ReturnType<IqHandler>;
    try {
      ret = handler({ stanza: ev.stanza, payload, from: ev.from, to: ev.to, origin: ev.origin });
    } catch (err) {
      log.error({ err, iq: payloadKey(payload) }, "IQ handler threw");
      ret = new StanzaError("internal-server-error");
    }
    if (ret === undefined) return undefined;
    if (ret instanceof Promise) {
      ret.then(
        (value) => this.sendIqReply(ev, value ?? new StanzaError("service-unavailable")),
        (err: unknown) => {
          log.error({ err, iq: payloadKey(payload) }, "IQ handler failed");
          this.sendIqReply(ev, new StanzaError("internal-server-error"));
        },
      );
      return true;
    }
    this.sendIqReply(ev, ret);
    return true;
  }

  private sendIqReply(ev: StanzaEvent, value: Element | true | StanzaError): void {
    const stanza = ev.stanza;
    if (isStanzaError(value)) {
      this.router.unroutable(stanza, ev.from, value);
      return;
    }
    const reply = iqResult(stanza, value === true ? undefined : value);
    reply.attrs.to = ev.from.toString();
    // Answer from the address that was asked (the account for `self`: no from, RFC 6120 §10.3.3).
    if (stanza.attrs.to === undefined) delete reply.attrs.from;
    else reply.attrs.from = stanza.attrs.to;
    this.deliverReply(ev, reply);
  }

  private deliverReply(ev: StanzaEvent, reply: Element): void {
    // Replies to our own client go straight to its session: cheaper, and works before the
    // session is bound (resource binding itself is an IQ).
    if (ev.origin && ev.origin.jid?.equals(ev.from)) ev.origin.send(reply);
    else if (ev.origin && !ev.origin.jid) ev.origin.send(reply);
    else this.router.route(reply);
  }

  describe(): { domain: string; sessions: number } {
    return { domain: this.domain, sessions: this.sessions.size };
  }
}

export type { Addr };
