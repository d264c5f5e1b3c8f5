// Service discovery (XEP-0030) for the server and for accounts, and the server's entity
// capabilities (XEP-0115) advertised in stream features. Features and identities are declared by
// the modules through their context (addFeature/addIdentity); this module only renders them.
import type { StreamFeaturesEvent } from "../../router/events.js";
import type { DiscoIdentity, ServerModule } from "../../server/module-api.js";
import { StanzaError } from "../../stanza/errors.js";
import { x, type Element } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { capsHash, CAPS_NODE } from "./caps.js";

export const discoModule: ServerModule = {
    name: "disco",
    setup(ctx) {
      const source = ctx.disco;
      ctx.addIdentity({ category: "server", type: "im", name: ctx.config.server.name });
      ctx.addFeature(NS.DISCO_INFO);
      ctx.addFeature(NS.DISCO_ITEMS);
      ctx.addAccountFeature(NS.DISCO_INFO);
      ctx.addAccountFeature(NS.DISCO_ITEMS);

      const hostInfo = (): { identities: readonly DiscoIdentity[]; features: string[] } => ({
        identities: source.identities(),
        features: [...new Set(source.features())].sort(),
      });
      let cached: { key: string; ver: string } | undefined;
      const currentVer = (): string => {
        const info = hostInfo();
        const key = JSON.stringify(info);
        if (cached?.key !== key) cached = { key, ver: capsHash(info.identities, info.features) };
        return cached.ver;
      };

      ctx.hook<StreamFeaturesEvent>("stream-features", ({ features }) => {
        features.append(x("c", { xmlns: NS.CAPS, hash: "sha-1", node: CAPS_NODE, ver: currentVer() }));
      });

      ctx.iq("get", "host", NS.DISCO_INFO, "query", ({ payload }) => {
        const node = payload.attrs.node;
        if (node !== undefined && node !== `${CAPS_NODE}#${currentVer()}`) return new StanzaError("item-not-found");
        const info = hostInfo();
        return infoResult(node, info.identities, info.features);
      });
      ctx.iq("get", "host", NS.DISCO_ITEMS, "query", ({ payload }) => {
        if (payload.attrs.node !== undefined) return new StanzaError("item-not-found");
        // Clients find the group chat (and other) services here.
        return x("query", { xmlns: NS.DISCO_ITEMS }, source.serviceItems().map((i) => x("item", { jid: i.jid, name: i.name })));
      });

      for (const addr of ["bare", "self"] as const) {
        ctx.iq("get", addr, NS.DISCO_INFO, "query", ({ payload, to }) => {
          if (!ctx.auth.userExists(to.local)) return new StanzaError("service-unavailable");
          if (payload.attrs.node !== undefined) return new StanzaError("item-not-found");
          const identities = [{ category: "account", type: "registered" }, ...source.accountIdentities()];
          return infoResult(undefined, identities, [...new Set(source.accountFeatures())].sort());
        });
        ctx.iq("get", addr, NS.DISCO_ITEMS, "query", ({ payload, to }) => {
          if (!ctx.auth.userExists(to.local)) return new StanzaError("service-unavailable");
          if (payload.attrs.node !== undefined) return new StanzaError("item-not-found");
          return x("query", { xmlns: NS.DISCO_ITEMS });
        });
      }
    },
};

function infoResult(node: string | undefined, identities: readonly DiscoIdentity[], features: readonly string[]): Element {
  return x(
    "query",
    { xmlns: NS.DISCO_INFO, node },
    identities.map((i) => x("identity", { category: i.category, type: i.type, name: i.name })),
    features.map((f) => x("feature", { var: f })),
  );
}
