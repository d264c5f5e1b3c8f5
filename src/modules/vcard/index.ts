// vcard-temp (XEP-0054): an account stores its own vCard; anyone may read it.
import type { ServerModule } from "../../server/module-api.js";
import { StanzaError } from "../../stanza/errors.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { parseFragment } from "../../xml/fragment.js";

/** Bytes a stored vCard may take (avatars live in PEP; a photo in vCard is still common). */
const MAX_VCARD_BYTES = 256 * 1024;

export const vcardModule: ServerModule = {
  name: "vcard",
  setup(ctx) {
    const store = ctx.keyval<string>("vcard");
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
      return true;
    });
    ctx.iq("set", "bare", NS.VCARD, "vCard", () => new StanzaError("forbidden"));
    ctx.hook<{ username: string }>("user-deleted", ({ username }) => store.set(username, undefined));
  },
};
