// Discovery of an account's PEP service (XEP-0163 §6, XEP-0060 §5): the account lists the nodes the
// requester may see and describes each node. The account's own disco#info (account/registered,
// the pubsub/pep identity and features registered in index.ts) is the disco module's; the generic
// account disco knows no nodes, so these hooks run before it and answer node queries and the list.
import type { StanzaEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { nodeInfo, nodeItems, nodeListItems } from "../pubsub/disco.js";
import { replyFromHook } from "../pubsub/iq-hook.js";
import type { PepEnv } from "./env.js";

export function registerPepDisco(env: PepEnv): void {
  const { ctx, service } = env;
  for (const addr of ["bare", "self"] as const) {
    ctx.hook<StanzaEvent>(`iq-get/${addr}/${NS.DISCO_INFO}:query`, (ev) => {
      const user = ev.to.local;
      if (!ctx.auth.userExists(user)) return undefined;
      const node = ev.stanza.elements[0]?.attrs.node;
      if (node === undefined) return undefined;
      return replyFromHook(ctx, ev, nodeInfo(service, user, node, ev.from.bare().toString()));
    }, Priority.FILTER);
    ctx.hook<StanzaEvent>(`iq-get/${addr}/${NS.DISCO_ITEMS}:query`, (ev) => {
      const user = ev.to.local;
      if (!ctx.auth.userExists(user)) return undefined;
      const node = ev.stanza.elements[0]?.attrs.node;
      const requester = ev.from.bare().toString();
      const owner = env.ownerJid(user);
      if (node !== undefined) return replyFromHook(ctx, ev, nodeItems(service, user, node, owner, requester));
      return replyFromHook(ctx, ev, x("query", { xmlns: NS.DISCO_ITEMS }, nodeListItems(service, user, owner, requester)));
    }, Priority.FILTER);
  }
}
