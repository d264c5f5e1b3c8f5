// XMPP Ping (XEP-0199): the server answers pings addressed to it or to the sender's own account.
import type { ServerModule } from "../../server/module-api.js";
import { NS } from "../../xml/ns.js";

export const pingModule: ServerModule = {
  name: "ping",
  setup(ctx) {
    ctx.addFeature(NS.PING);
    ctx.iq("get", "host", NS.PING, "ping", () => true);
    ctx.iq("get", "self", NS.PING, "ping", () => true);
  },
};
