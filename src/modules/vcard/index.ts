// vcard-temp (XEP-0054): an account stores its own vCard; anyone may read it.
import type { ServerModule } from "../../server/module-api.js";
import { StanzaError } from "../../stanza/errors.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { parseFragment } from "../../xml/fragment.js";
import type { Element } from "../../xml/element.js";

/** Bytes a stored vCard may take (avatars live in PEP; a photo in vCard is still common). */
export const MAX_VCARD_BYTES = 256 * 1024;
/** The keyval store (username → serialized vCard) other modules may update (XEP-0398 conversion). */
export const VCARD_STORE = "vcard";
/** Fired after an account stored its own vCard (observers return undefined). */
export const VCARD_STORED = "vcard-stored";
export interface VcardStoredEvent {
  username: string;
  /** The stored vCard; undefined when the account cleared it. */
  vcard: Element | undefined;
}

export const vcardModule: ServerModule = {
  name: "vcard",
  setup(ctx) {
    const store = ctx.keyval<string>(VCARD_STORE);
    ctx.addFeature(NS.VCARD);

    const read = (user: string) => {
      const xml = store.get(user);
      return xml ? parseFragment(xml) : undefined;
    };
    ctx.iq("get", "self", NS.VCARD, "vCard", ({ to }) => read(to.local) ?? x("vCard", { xmlns: NS.VCARD }));
    ctx.iq("get", "bare", NS.VCARD, "vCard", ({ to }) => {
      if (!ctx.auth.userExists(to.local)) return new StanzaError("service-unavailable");
      return read(to.local) ?? new StanzaError("item-not-found");
    });
    ctx.iq("set", "self", NS.VCARD, "vCard", ({ payload, to }) => {
      const xml = payload.toString();
      if (Buffer.byteLength(xml) > MAX_VCARD_BYTES) return new StanzaError("not-acceptable", "vCard too large");
      store.set(to.local, payload.elements.length ? xml : undefined);
      ctx.fire<VcardStoredEvent>(VCARD_STORED, { username: to.local, vcard: payload.elements.length ? payload : undefined });
      return true;
    });
    ctx.iq("set", "bare", NS.VCARD, "vCard", () => new StanzaError("forbidden"));
    ctx.hook<{ username: string }>("user-deleted", ({ username }) => store.set(username, undefined));
  },
};
