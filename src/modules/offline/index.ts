// Offline messages (XEP-0160 Best Practices for Handling Offline Messages).
//
// References:
//   https://xmpp.org/extensions/xep-0160.html   process flow, handling of message types, "msgoffline"
//   https://xmpp.org/extensions/xep-0203.html   <delay/> on stored messages
//   https://xmpp.org/rfcs/rfc6121.html          §8.5.2.2.1 (no available resources)
//
// The message module fires `message/offline/handle` for a chat or normal message to an existing
// account without an available resource; this module claims it (stores it, or refuses it when the
// queue is full). Headline, groupchat and error messages never reach it (RFC 6121 §8.5.2.2.1).
// Stored messages survive restarts (the "offline" archive store) and go to the next resource that
// becomes available with a non-negative priority.
import { OFFLINE_EVENT } from "../message/index.js";
import type { StanzaEvent, UserEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import type { ServerModule } from "../../server/module-api.js";
import { ARCHIVE_NS } from "../mam/ns.js";
import { offlineOptions, type OfflineOptions } from "./options.js";
import { OfflineQueue } from "./queue.js";

/** The archive store holding queued messages (purged with the archive by retention). */
export const OFFLINE_STORE = "offline";

export function createOfflineModule(overrides: Partial<OfflineOptions> = {}): ServerModule {
  return {
    name: "offline",
    setup(ctx) {
      const queue = new OfflineQueue(ctx, ctx.archive(OFFLINE_STORE), offlineOptions(ctx.config, overrides));
      ctx.addFeature(ARCHIVE_NS.MSGOFFLINE);

      // Before the archive (FILTER) and delivery (DEFAULT): a full queue refuses the message.
      for (const addr of ["bare", "full", "self"] as const) {
        ctx.hook<StanzaEvent>(`message/${addr}`, (ev) => queue.refuseWhenFull(ev, addr), Priority.POLICY);
      }
      ctx.hook<StanzaEvent>(OFFLINE_EVENT, (ev) => queue.store(ev), Priority.DEFAULT);
      // Above the presence module's handler, which claims the event: this one only looks, and
      // delivers once the presence module has made the session available.
      ctx.hook<StanzaEvent>("presence/self", (ev) => queue.onPresence(ev), Priority.FILTER);
      ctx.hook<UserEvent>("user-deleted", ({ username }) => {
        queue.deleteUser(username);
        return undefined;
      });
    },
  };
}

export const offlineModule: ServerModule = createOfflineModule();
