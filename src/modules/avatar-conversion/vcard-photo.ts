// The PHOTO field of a vcard-temp vCard (XEP-0054 §3, XEP-0153 §3.1): reading the inline image
// out of it and writing one into it without disturbing the other fields.
import { type Element, x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { type Avatar, avatarOf, decodeBase64 } from "./avatar.js";

/**
 * The inline photo of a vCard, or undefined when it has none. A PHOTO that only points to a URL
 * (EXTVAL) or whose BINVAL is not base64 counts as none: there are no bytes to hash or publish.
 */
export function vcardPhoto(vcard: Element | undefined): Avatar | undefined {
  const photo = vcard?.getChild("PHOTO");
  const binval = photo?.getChildText("BINVAL");
  if (!photo || binval === undefined) return undefined;
  const bytes = decodeBase64(binval);
  if (!bytes || bytes.length === 0) return undefined;
  return avatarOf(bytes, photo.getChildText("TYPE"));
}

/** A copy of the vCard (or a new one) whose PHOTO is the avatar, or has no PHOTO when it is undefined. */
export function withPhoto(vcard: Element | undefined, avatar: Avatar | undefined): Element {
  const out = vcard ? vcard.clone() : x("vCard", { xmlns: NS.VCARD });
  out.removeChildren((el) => el.name === "PHOTO");
  if (avatar) out.append(x("PHOTO", null, x("TYPE", null, avatar.type), x("BINVAL", null, avatar.bytes.toString("base64"))));
  return out;
}
