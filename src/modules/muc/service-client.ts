// How the main host's administration commands (admin-commands.ts) talk to the MUC service: over
// XMPP, like any entity would, but from the server's own domain JID, which the service treats as
// a service administrator (service-admin.ts). Each request is an IQ routed through the router; the
// reply comes back addressed to the host, where this client claims it by id. Nothing here reaches
// into the component's memory: the rooms answer what XEP-0045 lets an administrator ask.
import { randomBytes } from "node:crypto";
import type { StanzaEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import type { ModuleContext } from "../../server/module-api.js";
import { StanzaError, type StanzaErrorCondition } from "../../stanza/errors.js";
import { type Element, x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";

/** How long one request may take (everything is in this process: only a stuck handler is slower). */
const REQUEST_TIMEOUT_MS = 10_000;

export class ServiceClient {
  private readonly pending = new Map<string, { resolve: (el: Element | StanzaError) => void; timer: NodeJS.Timeout }>();

  constructor(private readonly ctx: ModuleContext) {
    ctx.hook<StanzaEvent>("iq/host", (ev) => {
      const id = ev.stanza.attrs.id;
      const type = ev.stanza.attrs.type;
      if (id === undefined || (type !== "result" && type !== "error")) return undefined;
      const waiting = this.pending.get(id);
      if (!waiting) return undefined;
      this.pending.delete(id);
      clearTimeout(waiting.timer);
      waiting.resolve(type === "result" ? ev.stanza : errorOf(ev.stanza));
      return true;
    }, Priority.FILTER);
    ctx.onClose(() => {
      for (const [id, w] of this.pending) {
        clearTimeout(w.timer);
        w.resolve(new StanzaError("remote-server-timeout", "the server is shutting down"));
        this.pending.delete(id);
      }
    });
  }

  /** Sends an IQ get/set with one payload to `to`; resolves with the result stanza or the error. */
  request(type: "get" | "set", to: string, payload: Element): Promise<Element | StanzaError> {
    const id = `muc-admin-${randomBytes(6).toString("hex")}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(new StanzaError("remote-server-timeout", `${to} did not answer`));
      }, REQUEST_TIMEOUT_MS);
      timer.unref();
      this.pending.set(id, { resolve, timer });
      this.ctx.route(x("iq", { type, id, from: this.ctx.host, to }, payload));
    });
  }

  /**
   * The MUC service of this server (XEP-0045 §6.1: the service whose disco identity is
   * conference/text among the server's disco items), or undefined when there is none.
   */
  async findService(): Promise<string | undefined> {
    for (const item of this.ctx.disco.serviceItems()) {
      const info = await this.request("get", item.jid, x("query", { xmlns: NS.DISCO_INFO }));
      if (info instanceof StanzaError) continue;
      const identities = info.getChild("query", NS.DISCO_INFO)?.getChildren("identity") ?? [];
      if (identities.some((i) => i.attrs.category === "conference" && i.attrs.type === "text")) return item.jid;
    }
    return undefined;
  }
}

/** The StanzaError an error reply carries. */
function errorOf(stanza: Element): StanzaError {
  const error = stanza.getChild("error");
  const condition = error?.elements.find((e) => e.attrs.xmlns === NS.STANZA_ERRORS && e.name !== "text")?.name as StanzaErrorCondition | undefined;
  const text = error?.getChildText("text", NS.STANZA_ERRORS);
  return new StanzaError(condition ?? "undefined-condition", text);
}
