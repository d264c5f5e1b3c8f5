// XEP-0398 User Avatar to vCard-Based Avatars Conversion: an avatar published through PEP
// (XEP-0084) is mirrored into the vCard PHOTO (XEP-0153) and back, and the server stamps the
// photo hash into its users' available presence (§4).
//
// References:
//   https://xmpp.org/extensions/xep-0398.html   the conversion and the presence rule
//   https://xmpp.org/extensions/xep-0084.html   urn:xmpp:avatar:data / urn:xmpp:avatar:metadata
//   https://xmpp.org/extensions/xep-0153.html   PHOTO, vcard-temp:x:update
//
// Loops: a conversion publishes through the PEP helpers (`byServer` events, ignored here) or
// writes the vCard store directly (no `vcard-stored` event), and each direction first compares
// hashes, so neither direction can re-trigger the other.
import { Priority } from "../../router/priority.js";
import type { SessionUnbindEvent, StanzaEvent } from "../../router/events.js";
import type { ServerModule } from "../../server/module-api.js";
import { presenceType } from "../../stanza/stanza.js";
import { PEP_ITEM_PUBLISHED, type PepItemPublishedEvent } from "../pep/api.js";
import { VCARD_STORED, type VcardStoredEvent } from "../vcard/index.js";
import { AvatarSync } from "./sync.js";
import { AVATAR_NS } from "./namespaces.js";
import { stampPhotoHash } from "./presence-hash.js";

export const avatarConversionModule: ServerModule = {
  name: "avatar-conversion",
  setup(ctx) {
    const sync = new AvatarSync(ctx);
    ctx.addAccountFeature(AVATAR_NS.CONVERSION);

    // §3.2 vCard → PEP, after the vcard module stored what the client set.
    // Observers run inside the vcard and PEP handlers: a failure here must not fail their request.
    const observe = (what: string, fn: () => void): undefined => {
      try {
        fn();
      } catch (err) {
        ctx.log.error({ err, what }, "avatar conversion failed");
      }
      return undefined;
    };

    ctx.hook<VcardStoredEvent>(VCARD_STORED, ({ username, vcard }) => observe("vcard→pep", () => sync.fromVcard(username, vcard)));

    // §3.1 PEP → vCard, for what clients publish (our own publishes carry byServer).
    ctx.hook<PepItemPublishedEvent>(PEP_ITEM_PUBLISHED, (ev) => {
      if (ev.byServer) return undefined;
      if (ev.node === AVATAR_NS.METADATA) return observe("pep→vcard", () => sync.fromMetadata(ev.username, ev.item.id, ev.item.payload));
      // A client that publishes the data after the metadata completes the pair here.
      if (ev.node === AVATAR_NS.DATA) return observe("pep→vcard", () => sync.fromLateData(ev.username, ev.item.id));
      return undefined;
    });

    // §4: every available presence a client sends, broadcast or directed (MUC joins included).
    // pre-* events fire only for stanzas from our own clients, before the presence module runs.
    for (const addr of ["self", "bare", "full", "host"] as const) {
      ctx.hook<StanzaEvent>(`pre-presence/${addr}`, (ev) => {
        if (ev.origin && presenceType(ev.stanza) === "available") stampPhotoHash(ev.stanza, sync.photoHash(ev.from.local));
        return undefined;
      }, Priority.FILTER);
    }

    // The hash cache holds only accounts with a session.
    ctx.hook<SessionUnbindEvent>("resource-unbind", ({ session }) => {
      if (session.jid && ctx.sessions.forUser(session.jid.local).length === 0) sync.forget(session.jid.local);
      return undefined;
    });
    ctx.hook<{ username: string }>("user-deleted", ({ username }) => {
      sync.forget(username);
      return undefined;
    });
  },
};
