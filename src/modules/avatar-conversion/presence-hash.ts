// XEP-0398 §4 (presence broadcast): the server puts the vCard photo hash (XEP-0153 §3.2) into its
// users' available presence, so clients need not download their own vCard to compute it.
import { type Element, x } from "../../xml/element.js";
import { AVATAR_NS } from "./namespaces.js";

/**
 * Stamps `<x xmlns='vcard-temp:x:update'><photo>hash</photo></x>` into an available presence, in
 * place. `hash` is the stored photo's SHA-1, or null when the account has no photo (an empty
 * <photo/> then says so: XEP-0153 §3.2). Rules, in XEP-0398 §4's words:
 * - an empty <photo/> the client sent is left alone ("doesn't touch the photo element");
 * - an <x/> without <photo/> is overwritten (MUST);
 * - a different non-empty hash is overwritten with ours when we have one (MAY), so contacts never
 *   fetch a vCard photo that is not there; with no stored photo the client's claim stands.
 * Returns whether the presence changed.
 */
export function stampPhotoHash(presence: Element, hash: string | null): boolean {
  const update = presence.getChild("x", AVATAR_NS.VCARD_UPDATE);
  if (!update) {
    presence.append(x("x", { xmlns: AVATAR_NS.VCARD_UPDATE }, photoElement(hash)));
    return true;
  }
  const photo = update.getChild("photo");
  if (!photo) {
    update.append(photoElement(hash));
    return true;
  }
  const claimed = photo.getText().trim();
  if (claimed === "" || hash === null || claimed === hash) return false;
  photo.children = [hash];
  return true;
}

function photoElement(hash: string | null): Element {
  return hash === null ? x("photo") : x("photo", null, hash);
}
