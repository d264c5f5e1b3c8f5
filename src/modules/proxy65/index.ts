// SOCKS5 Bytestreams proxy (XEP-0065) on proxy.<domain>: disco identity proxy/bytestreams (§4),
// the streamhost address query (§4, with the address clients can really reach: see
// services/socks5/advertise.ts), and activation (§6.3.5). The SOCKS5 listener is started with
// the module and stopped when it unloads; the relaying itself lives in services/socks5.
import { isIP } from "node:net";
import { addressScope } from "../../dns/ip.js";
import type { ServerModule } from "../../server/module-api.js";
import { advertisedHost, describeSource, isLoopbackDomain } from "../../services/socks5/advertise.js";
import { Socks5Proxy } from "../../services/socks5/proxy.js";
import { StanzaError } from "../../stanza/errors.js";
import { x } from "../../xml/element.js";
import { mayUseProxy } from "./access.js";
import { activate } from "./activation.js";
import { PROXY65_NS } from "./ns.js";
import { proxyLimits } from "./options.js";

const STATS_INTERVAL_MS = 15 * 60_000;

export const proxy65Module: ServerModule = {
  name: "proxy65",
  async setup(ctx) {
    const options = ctx.config.proxy;
    const proxy = new Socks5Proxy(proxyLimits(options), ctx.log);
    // Registered first, so an address that fails to bind does not leave the others listening.
    ctx.onClose(() => proxy.close());
    const bound = await proxy.listen(options.addresses, options.port);
    // With port 0 the kernel chose; every address shares the first one's port (Socks5Proxy.listen).
    const port = bound[0]?.port ?? options.port;
    const advertised = advertisedHost(ctx.config);
    ctx.log.info(
      { addresses: bound.map((b) => b.address), port, advertised: advertised.host, advertisedFrom: describeSource(advertised) },
      "SOCKS5 bytestream proxy listening",
    );

    if (isIP(advertised.host) !== 0 && addressScope(advertised.host) === "loopback" && !isLoopbackDomain(ctx.config.domain)) {
      ctx.log.warn(
        { advertised: advertised.host },
        "the SOCKS5 proxy advertises a loopback address: only clients on this machine can use it; set proxy.advertisedHost (chatctl doctor checks it)",
      );
    }

    // The counters, in the log every quarter hour when anything happened since the last time.
    let last = "";
    ctx.every(STATS_INTERVAL_MS, "proxy-stats", () => {
      const stats = proxy.stats();
      const now = JSON.stringify(stats);
      if (now !== last) ctx.log.info(stats, "SOCKS5 proxy counters");
      last = now;
    });

    ctx.addIdentity({ category: "proxy", type: "bytestreams", name: "SOCKS5 Bytestreams Service" });
    ctx.addFeature(PROXY65_NS.BYTESTREAMS);

    const forbidden = () => new StanzaError("forbidden", "this proxy serves accounts of " + ctx.config.domain);
    ctx.iq("get", "host", PROXY65_NS.BYTESTREAMS, "query", ({ from }) => {
      if (!mayUseProxy(from, ctx.config.domain, options.access)) return forbidden();
      return x("query", { xmlns: PROXY65_NS.BYTESTREAMS }, x("streamhost", { jid: ctx.host, host: advertised.host, port: String(port) }));
    });
    ctx.iq("set", "host", PROXY65_NS.BYTESTREAMS, "query", (req) => {
      if (!mayUseProxy(req.from, ctx.config.domain, options.access)) return forbidden();
      return activate(proxy, req);
    });
  },
};
