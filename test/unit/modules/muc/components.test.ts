// Component hosts (src/server/components.ts): conference.<domain> exists only when
// services.conference is on, is reachable through the router's HostDirectory, and answers disco of
// the service itself (XEP-0045 §6.1: identity conference/text, feature http://jabber.org/protocol/muc).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AuthProvider } from "../../../../src/auth/types.js";
import { loadConfig } from "../../../../src/config/load.js";
import { createLogger } from "../../../../src/log/logger.js";
import type { StanzaEvent } from "../../../../src/router/events.js";
import { HookBus } from "../../../../src/router/hook-bus.js";
import { Router } from "../../../../src/router/router.js";
import { createComponentHosts, type ComponentHosts } from "../../../../src/server/components.js";
import { openMemoryStorage } from "../../../../src/storage/memory/index.js";
import { x, type Element } from "../../../../src/xml/element.js";

const DISCO_INFO = "http://jabber.org/protocol/disco#info";

async function setup(conference: boolean) {
  // Only the conference component is under test: the others (two of which bind ports) are off.
  const config = loadConfig({
    env: {},
    flags: { dataDir: "/nonexistent", "services.conference": conference, "services.pubsub": false, "services.proxy": false, "services.upload": false, "log.level": "silent" },
  });
  const log = createLogger({ level: "silent", format: "json" });
  // What the service sends to the user's domain lands here.
  const delivered: Element[] = [];
  const userBus = new HookBus();
  userBus.on<StanzaEvent>("iq/full", (ev) => {
    delivered.push(ev.stanza);
    return true;
  });
  let components: ComponentHosts | undefined;
  const router = new Router({ lookup: (d) => (d === config.domain ? { domain: d, bus: userBus } : components?.lookup(d)) }, log);
  // The component modules never authenticate anyone; the provider is only passed through.
  components = await createComponentHosts({ config, log, storage: openMemoryStorage(), auth: {} as AuthProvider, router });
  return { components, router, delivered, domain: config.domain };
}

describe("component hosts", () => {
  test("no conference host exists when services.conference is off", async () => {
    const { components, domain } = await setup(false);
    assert.equal(components.hosts.size, 0);
    assert.equal(components.lookup(`conference.${domain}`), undefined);
  });

  test("conference.<domain> answers disco#info with identity conference/text and the MUC feature", async () => {
    const { components, router, delivered, domain } = await setup(true);
    try {
      assert.ok(components.lookup(`conference.${domain}`));
      router.route(x("iq", { type: "get", id: "d1", from: `romeo@${domain}/r`, to: `conference.${domain}` }, x("query", { xmlns: DISCO_INFO })));
      const reply = delivered.find((el) => el.attrs.id === "d1");
      assert.equal(reply?.attrs.type, "result");
      const query = reply?.getChild("query", DISCO_INFO);
      assert.equal(query?.getChild("identity")?.attrs.category, "conference");
      assert.equal(query?.getChild("identity")?.attrs.type, "text");
      assert.ok(query?.getChildren("feature").some((f) => f.attrs.var === "http://jabber.org/protocol/muc"));
    } finally {
      await components.close();
    }
  });
});
