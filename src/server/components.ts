// Service subdomains (conference.<domain>, later pubsub.<domain> …): each is a host of its own in
// the router's HostDirectory, with its own bus, disco registry, stores (keyed by the component's
// domain) and modules, but no client sessions. A component host is a VirtualHost that accepts no
// c2s streams: the composition root keeps these in a separate map that only the router consults,
// so no client can log in to `conference.<domain>`.
//
// Every component loads the same base (IQ dispatch, disco of the service) plus its own modules.
import type { AuthProvider } from "../auth/types.js";
import type { Config } from "../config/types.js";
import type { Logger } from "../log/logger.js";
import { iqModule } from "../modules/iq/index.js";
import { mucModule } from "../modules/muc/index.js";
import { proxy65Module } from "../modules/proxy65/index.js";
import { pubsubComponentModule } from "../modules/pubsub/index.js";
import { createUploadModule } from "../modules/upload/index.js";
import type { Router } from "../router/router.js";
import { StanzaError } from "../stanza/errors.js";
import type { StorageBackend } from "../storage/types.js";
import type { TlsContextManager } from "../tls/context.js";
import { x, type Element } from "../xml/element.js";
import { NS } from "../xml/ns.js";
import type { Jid } from "../jid/jid.js";
import { VirtualHost } from "./host.js";
import type { ServerModule } from "./module-api.js";

/** One kind of service subdomain. */
export interface ComponentSpec {
  /** The first label: "conference" serves conference.<domain>. */
  readonly label: string;
  enabled(config: Config): boolean;
  readonly modules: readonly ServerModule[];
  /** Modules that need what the server shares (its TLS context), built at each start. */
  createModules?(env: ComponentEnv): readonly ServerModule[];
}

/** What a component's modules may share with the server beyond the ModuleContext. */
export interface ComponentEnv {
  tls?: TlsContextManager;
}

export const componentSpecs: readonly ComponentSpec[] = [
  { label: "conference", enabled: (c) => c.services.conference, modules: [mucModule] },
  { label: "proxy", enabled: (c) => c.services.proxy, modules: [proxy65Module] },
  { label: "pubsub", enabled: (c) => c.services.pubsub, modules: [pubsubComponentModule] },
  { label: "upload", enabled: (c) => c.services.upload, modules: [], createModules: (env) => [createUploadModule(env)] },
];

/** One entry of the service's disco#items (XEP-0030 §4). */
export interface DiscoItem {
  jid: string;
  name?: string;
  node?: string;
}

/**
 * `component-disco-items`: fired when someone asks the component's domain for disco#items; each
 * handler appends what it lists and returns undefined so the others run too.
 */
export interface DiscoItemsEvent {
  from: Jid;
  items: DiscoItem[];
}
export const DISCO_ITEMS_EVENT = "component-disco-items";

/**
 * `component-disco-info`: fired when someone asks the component's domain for disco#info; each
 * handler appends XEP-0128 extension forms (e.g. upload's max-file-size) and returns undefined.
 */
export interface DiscoInfoEvent {
  from: Jid;
  extensions: Element[];
}
export const DISCO_INFO_EVENT = "component-disco-info";

/** Disco of the component's own domain: identities and features its modules declared, items they list. */
export const componentDiscoModule: ServerModule = {
  name: "component-disco",
  setup(ctx) {
    ctx.addFeature(NS.DISCO_INFO);
    ctx.addFeature(NS.DISCO_ITEMS);
    ctx.iq("get", "host", NS.DISCO_INFO, "query", ({ payload, from }) => {
      if (payload.attrs.node !== undefined) return new StanzaError("item-not-found");
      const ev: DiscoInfoEvent = { from, extensions: [] };
      ctx.fire(DISCO_INFO_EVENT, ev);
      return x(
        "query",
        { xmlns: NS.DISCO_INFO },
        ctx.disco.identities().map((i) => x("identity", { category: i.category, type: i.type, name: i.name })),
        [...new Set(ctx.disco.features())].sort().map((f) => x("feature", { var: f })),
        ev.extensions,
      );
    });
    ctx.iq("get", "host", NS.DISCO_ITEMS, "query", ({ payload, from }) => {
      if (payload.attrs.node !== undefined) return new StanzaError("item-not-found");
      const ev: DiscoItemsEvent = { from, items: [] };
      ctx.fire(DISCO_ITEMS_EVENT, ev);
      return x("query", { xmlns: NS.DISCO_ITEMS }, ev.items.map((i) => x("item", { jid: i.jid, name: i.name, node: i.node })));
    });
  },
};

export const componentBaseModules: readonly ServerModule[] = [iqModule, componentDiscoModule];

export interface ComponentHosts {
  /** The component serving this domain, if any (for the router's HostDirectory). */
  lookup(domain: string): VirtualHost | undefined;
  readonly hosts: ReadonlyMap<string, VirtualHost>;
  /** Unloads every component's modules (persisting what they keep). */
  close(): Promise<void>;
}

export interface ComponentOptions {
  config: Config;
  log: Logger;
  storage: StorageBackend;
  auth: AuthProvider;
  router: Router;
  /** The server's TLS state, for components that serve TLS themselves (upload). */
  tls?: TlsContextManager;
  /** Which components exist (default: componentSpecs). */
  specs?: readonly ComponentSpec[];
}

/** Creates and loads one host per enabled component, named `<label>.<config.domain>`. */
export async function createComponentHosts(opts: ComponentOptions): Promise<ComponentHosts> {
  const hosts = new Map<string, VirtualHost>();
  const close = async () => {
    for (const h of [...hosts.values()].reverse()) await h.unloadAll();
  };
  try {
    for (const spec of opts.specs ?? componentSpecs) {
      if (!spec.enabled(opts.config)) continue;
      const domain = `${spec.label}.${opts.config.domain}`;
      const host = new VirtualHost(domain, opts.config, opts.log.child({ host: domain }), opts.storage, opts.auth, opts.router);
      hosts.set(domain, host);
      const own = [...spec.modules, ...(spec.createModules?.({ ...(opts.tls ? { tls: opts.tls } : {}) }) ?? [])];
      for (const m of [...componentBaseModules, ...own]) await host.load(m);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { lookup: (domain) => hosts.get(domain), hosts, close };
}
