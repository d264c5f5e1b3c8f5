// XEP-0084 payloads: the <data/> item of urn:xmpp:avatar:data and the <metadata/> item of
// urn:xmpp:avatar:metadata, built from an Avatar and read back into one.
import { type Element, x } from "../../xml/element.js";
import { type Avatar, decodeBase64, sha1Hex } from "./avatar.js";
import { AVATAR_NS } from "./namespaces.js";

/** XEP-0084 §4.2.1: the base64 image, published with the SHA-1 as item id. */
export function dataPayload(avatar: Avatar): Element {
  return x("data", { xmlns: AVATAR_NS.DATA }, avatar.bytes.toString("base64"));
}

/**
 * XEP-0084 §4.3.1: one <info/> for the image (XEP-0398 §3.2: "with one info element"), or an
 * empty <metadata/> (§4.5: the user disabled the avatar) when there is none.
 */
export function metadataPayload(avatar: Avatar | undefined): Element {
  const metadata = x("metadata", { xmlns: AVATAR_NS.METADATA });
  if (avatar) metadata.append(x("info", { bytes: String(avatar.bytes.length), id: avatar.id, type: avatar.type }));
  return metadata;
}

export interface InfoRef {
  id: string;
  type: string;
}

/** What a published metadata item asks the server to mirror into the vCard. */
export type MetadataIntent =
  | { kind: "disabled" }
  | { kind: "inline"; info: InfoRef }
  /** Only externally hosted images (XEP-0084 §4.3.2 url): nothing the vCard can hold. */
  | { kind: "external-only" };

/**
 * XEP-0398 §3.1: "pick the info element that does not point to an external URL". Among several,
 * the one the item id names (XEP-0084 §4.3: the id of the PNG the item stands for) wins.
 */
export function metadataIntent(metadata: Element, itemId: string | undefined): MetadataIntent | undefined {
  if (metadata.name !== "metadata" || metadata.attrs.xmlns !== AVATAR_NS.METADATA) return undefined;
  const infos = metadata.getChildren("info");
  if (infos.length === 0) return { kind: "disabled" };
  const inline = infos.filter((i) => i.attrs.url === undefined && /^[0-9a-fA-F]{40}$/.test(i.attrs.id ?? ""));
  const chosen = inline.find((i) => i.attrs.id === itemId) ?? inline[0];
  if (!chosen) return { kind: "external-only" };
  return { kind: "inline", info: { id: chosen.attrs.id!.toLowerCase(), type: chosen.attrs.type ?? "" } };
}

/**
 * The image of a data item, checked against the id the metadata announced (XEP-0398 §3.1:
 * "SHOULD verify that the SHA-1 hash of the image matches the id"). undefined when it does not.
 */
export function avatarFromData(data: Element, info: InfoRef): Avatar | undefined {
  if (data.name !== "data" || data.attrs.xmlns !== AVATAR_NS.DATA) return undefined;
  const bytes = decodeBase64(data.getText());
  if (!bytes || bytes.length === 0) return undefined;
  const id = sha1Hex(bytes);
  if (id !== info.id) return undefined;
  return { bytes, type: info.type || "application/octet-stream", id };
}
