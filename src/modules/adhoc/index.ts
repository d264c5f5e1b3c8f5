// XEP-0050 Ad-Hoc Commands on the server's own JID: discovery of the commands a requester may run
// (§2), their disco#info (§2.3), and execution with sessions and multi-stage data forms (§3, §4).
// Commands come from other modules through provideAdhocCommand(); this module only hosts them.
//
// References:
//   https://xmpp.org/extensions/xep-0050.html   ad-hoc commands
//   https://xmpp.org/extensions/xep-0004.html   data forms (forms.ts)
import type { Jid } from "../../jid/jid.js";
import type { StanzaEvent, SessionUnbindEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import type { ModuleContext, ServerModule } from "../../server/module-api.js";
import { adminPolicy } from "../../services/admins.js";
import { StanzaError } from "../../stanza/errors.js";
import { iqResult } from "../../stanza/stanza.js";
import { type Element, x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { AdhocEngine, type AdhocCommand, type AdhocEngineOptions } from "./engine.js";
import { ADHOC_NS } from "./ns.js";

export * from "./engine.js";
export * from "./forms.js";
export { ADHOC_NS, ADMIN_NODE } from "./ns.js";

/**
 * Fired by a local, already-authorised channel (the admin socket) to run a command with admin
 * rights; the adhoc module answers with a Promise of the <command/> reply or StanzaError.
 */
export const ADHOC_EXECUTE_LOCAL_EVENT = "adhoc/execute-local";

export interface LocalExecuteRequest {
  /** Identifies the local requester's sessions (e.g. the host JID with a per-connection resource). */
  requester: Jid;
  payload: Element;
}

/** Fired by provideAdhocCommand(); the adhoc module answers with the unregister function. */
export const ADHOC_PROVIDE_EVENT = "adhoc/provide";

/**
 * Registers a command with the ad-hoc module of this host; it is removed again when the calling
 * module unloads. The adhoc module must come earlier in the module list.
 */
export function provideAdhocCommand(ctx: ModuleContext, cmd: AdhocCommand): void {
  const undo = ctx.fire<AdhocCommand>(ADHOC_PROVIDE_EVENT, cmd);
  if (typeof undo !== "function") throw new Error(`cannot provide ad-hoc command ${cmd.node}: the adhoc module is not loaded before this one`);
  ctx.onClose(undo as () => void);
}

export type AdhocModuleOptions = Pick<AdhocEngineOptions, "sessionTtlMs" | "maxSessionsPerRequester" | "now">;

export function createAdhocModule(options: AdhocModuleOptions = {}): ServerModule {
  return {
    name: "adhoc",
    setup(ctx) {
      const admins = adminPolicy(ctx.host, ctx.config, ctx.auth);
      const engine = new AdhocEngine({ ...options, isAdmin: (jid) => admins.isAdmin(jid) });
      ctx.addFeature(ADHOC_NS.COMMANDS);
      ctx.hook<AdhocCommand>(ADHOC_PROVIDE_EVENT, (cmd) => engine.register(cmd));
      ctx.hook<LocalExecuteRequest>(ADHOC_EXECUTE_LOCAL_EVENT, ({ requester, payload }) => engine.execute(requester, undefined, payload, true));
      ctx.hook<{ requester: Jid }>("adhoc/local-closed", ({ requester }) => {
        engine.endRequester(requester);
        return undefined;
      });

      // The disco module answers only node-less queries; these handlers run before it and claim
      // the command nodes alone (everything else falls through to disco).
      ctx.hook<StanzaEvent>(`iq-get/host/${NS.DISCO_ITEMS}:query`, (ev) => {
        if (ev.stanza.elements[0]?.attrs.node !== ADHOC_NS.COMMANDS) return undefined;
        // §2.2: only the commands this requester is allowed to run.
        const items = engine.list(ev.from).map((c) => x("item", { jid: ctx.host, node: c.node, name: c.name }));
        answer(ctx, ev, x("query", { xmlns: NS.DISCO_ITEMS, node: ADHOC_NS.COMMANDS }, items));
        return true;
      }, Priority.POLICY);

      ctx.hook<StanzaEvent>(`iq-get/host/${NS.DISCO_INFO}:query`, (ev) => {
        const node = ev.stanza.elements[0]?.attrs.node;
        if (node === ADHOC_NS.COMMANDS) {
          // §2.1: the commands node itself is an item list of the server.
          answer(ctx, ev, x("query", { xmlns: NS.DISCO_INFO, node }, x("identity", { category: "automation", type: "command-list", name: "Commands" }), x("feature", { var: NS.DISCO_ITEMS })));
          return true;
        }
        if (node === undefined || !node.includes("#")) return undefined;
        const cmd = engine.lookup(node, ev.from);
        if (cmd instanceof StanzaError) {
          // Not one of ours: let other handlers (disco's caps node) have it.
          if (cmd.condition === "item-not-found") return undefined;
          answer(ctx, ev, cmd);
          return true;
        }
        // §2.3: identity automation/command-node, features commands and data forms.
        answer(
          ctx,
          ev,
          x(
            "query",
            { xmlns: NS.DISCO_INFO, node },
            x("identity", { category: "automation", type: "command-node", name: cmd.name }),
            x("feature", { var: ADHOC_NS.COMMANDS }),
            x("feature", { var: NS.DATA_FORMS }),
          ),
        );
        return true;
      }, Priority.POLICY);

      ctx.iq("set", "host", ADHOC_NS.COMMANDS, "command", ({ from, origin, payload }) => engine.execute(from, origin, payload));

      // Sessions belong to a full JID; they end with it.
      ctx.hook<SessionUnbindEvent>("resource-unbind", ({ session }) => {
        if (session.jid) engine.endRequester(session.jid);
        return undefined;
      });
      ctx.every(60_000, "adhoc-session-sweep", () => void engine.sweep());
    },
  };
}

export const adhocModule: ServerModule = createAdhocModule();

/** Replies to an IQ the module claimed from a bus hook (outside ctx.iq's envelope building). */
function answer(ctx: ModuleContext, ev: StanzaEvent, value: Element | StanzaError): void {
  if (value instanceof StanzaError) {
    ctx.bounce(ev.stanza, value);
    return;
  }
  const reply = iqResult(ev.stanza, value);
  reply.attrs.to = ev.from.toString();
  reply.attrs.from = ev.stanza.attrs.to ?? ctx.host;
  ctx.route(reply);
}
