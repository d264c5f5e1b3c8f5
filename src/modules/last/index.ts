// Last Activity (XEP-0012): the server's uptime, and for an account the time since its last
// logout (with the status it left with), answered only to contacts allowed to see its presence.
import type { SessionUnbindEvent } from "../../router/events.js";
import type { ServerModule } from "../../server/module-api.js";
import { StanzaError } from "../../stanza/errors.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";

interface LastLogout {
  [key: string]: number | string;
  at: number;
  status: string;
}

/** Roster item fields this module reads (the roster module owns the "roster" map store). */
interface RosterSubscription {
  [key: string]: unknown;
  subscription?: string;
}

export const lastModule: ServerModule = {
  name: "last",
  setup(ctx) {
    const started = Date.now();
    const store = ctx.keyval<LastLogout>("lastlogout");
    const roster = ctx.map("roster");
    ctx.addFeature(NS.LAST);

    ctx.iq("get", "host", NS.LAST, "query", () =>
      x("query", { xmlns: NS.LAST, seconds: String(Math.floor((Date.now() - started) / 1000)) }),
    );

    ctx.iq("get", "bare", NS.LAST, "query", ({ from, to }) => {
      const user = to.local;
      if (!ctx.auth.userExists(user)) return new StanzaError("service-unavailable");
      const item = roster.get(user, from.bare().toString()) as RosterSubscription | undefined;
      const allowed = from.local === user && from.domain === to.domain;
      if (!allowed && item?.subscription !== "from" && item?.subscription !== "both") return new StanzaError("forbidden");
      if (ctx.sessions.forUser(user).some((s) => s.presence !== undefined)) return x("query", { xmlns: NS.LAST, seconds: "0" });
      const last = store.get(user);
      if (!last) return new StanzaError("item-not-found");
      return x("query", { xmlns: NS.LAST, seconds: String(Math.max(0, Math.floor((Date.now() - last.at) / 1000))) }, last.status || undefined);
    });

    ctx.hook<SessionUnbindEvent>("resource-unbind", ({ session }) => {
      if (!session.username) return;
      // Only the last resource going away is a logout.
      if (ctx.sessions.isOnline(session.username)) return;
      const status = session.presence?.getChildText("status") ?? "";
      store.set(session.username, { at: Date.now(), status });
    });

    ctx.hook<{ username: string }>("user-deleted", ({ username }) => {
      store.set(username, undefined);
    });
  },
};
