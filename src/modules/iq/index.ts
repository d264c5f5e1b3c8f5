// IQ dispatch (RFC 6120 §8.2.3, §10.5). Refines iq/<addr> events into
// `iq-<get|set>/<addr>/<ns>:<name>` so a feature hooks exactly the payload it serves, and delivers
// IQs addressed to a full JID to that session.
import type { StanzaEvent } from "../../router/events.js";
import { payloadKey } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import type { ServerModule } from "../../server/module-api.js";
import { StanzaError } from "../../stanza/errors.js";
import { iqType } from "../../stanza/stanza.js";

export const iqModule: ServerModule = {
  name: "iq",
  setup(ctx) {
    for (const addr of ["bare", "host", "self"] as const) {
      ctx.hook<StanzaEvent>(`iq/${addr}`, (ev) => {
        const type = iqType(ev.stanza);
        if (type === "get" || type === "set") {
          const payload = ev.stanza.elements[0];
          if (!payload) return new StanzaError("bad-request");
          return ctx.fire(`iq-${type}/${addr}/${payloadKey(payload)}`, ev);
        }
        // Results and errors addressed to an account or the host are for whoever awaits them.
        if (ev.stanza.attrs.id !== undefined) ctx.fire(`iq-${type}/${addr}/${ev.stanza.attrs.id}`, ev);
        return true;
      }, Priority.DEFAULT);
    }

    ctx.hook<StanzaEvent>("iq/full", (ev) => {
      const session = ctx.sessions.get(ev.to.local, ev.to.resource);
      if (session) {
        session.send(ev.stanza);
        return true;
      }
      // RFC 6121 §8.5.3.1: no such resource → service-unavailable for get/set; drop the rest.
      const type = iqType(ev.stanza);
      return type === "get" || type === "set" ? new StanzaError("service-unavailable") : true;
    }, Priority.DEFAULT);
  },
};
