// The two directions of XEP-0398 §3 for one host, and the per-account photo hash the presence
// stamp reads (cached: presence is hot, parsing a stored vCard is not cheap).
import type { ModuleContext } from "../../server/module-api.js";
import type { Element } from "../../xml/element.js";
import { parseFragment } from "../../xml/fragment.js";
import { pepItems, pepPublish, type PepResult } from "../pep/api.js";
import { MAX_VCARD_BYTES, VCARD_STORE } from "../vcard/index.js";
import type { Avatar } from "./avatar.js";
import { AVATAR_NS } from "./namespaces.js";
import { avatarFromData, dataPayload, metadataIntent, metadataPayload } from "./pep-avatar.js";
import { vcardPhoto, withPhoto } from "./vcard-photo.js";

export class AvatarSync {
  private readonly vcards;
  /** username → SHA-1 of the vCard photo, or null for none. */
  private readonly hashes = new Map<string, string | null>();

  constructor(private readonly ctx: ModuleContext) {
    this.vcards = ctx.keyval<string>(VCARD_STORE);
  }

  photoHash(username: string): string | null {
    let hash = this.hashes.get(username);
    if (hash === undefined) {
      hash = vcardPhoto(this.readVcard(username))?.id ?? null;
      this.hashes.set(username, hash);
    }
    return hash;
  }

  forget(username: string): void {
    this.hashes.delete(username);
  }

  /**
   * §3.2: "publish an item to the 'urn:xmpp:avatar:data' node … Afterwards … a new item to the
   * 'urn:xmpp:avatar:metadata' node". A vCard without a photo publishes an empty metadata
   * (XEP-0084 §4.5: avatar disabled), but only if PEP currently announces one.
   */
  fromVcard(username: string, vcard: Element | undefined): void {
    const avatar = vcardPhoto(vcard);
    this.hashes.set(username, avatar?.id ?? null);
    const current = this.currentMetadataId(username);
    if (avatar === undefined) {
      if (current) this.report(username, "metadata", pepPublish(this.ctx, { username, node: AVATAR_NS.METADATA, payload: metadataPayload(undefined) }));
      return;
    }
    if (current === avatar.id) return;
    const data = pepPublish(this.ctx, { username, node: AVATAR_NS.DATA, id: avatar.id, payload: dataPayload(avatar) });
    if (!this.report(username, "data", data)) return;
    this.report(username, "metadata", pepPublish(this.ctx, { username, node: AVATAR_NS.METADATA, id: avatar.id, payload: metadataPayload(avatar) }));
  }

  /** §3.1: a client published avatar metadata; mirror the image it names into the vCard. */
  fromMetadata(username: string, itemId: string, metadata: Element | undefined): void {
    const intent = metadata && metadataIntent(metadata, itemId);
    if (!intent || intent.kind === "external-only") return;
    if (intent.kind === "disabled") {
      this.writePhoto(username, undefined);
      return;
    }
    const data = pepItems(this.ctx, { username, node: AVATAR_NS.DATA, ids: [intent.info.id] });
    const payload = data.ok ? data.items[0]?.payload : undefined;
    const avatar = payload && avatarFromData(payload, intent.info);
    if (!avatar) {
      // Not (yet) there, or the bytes do not hash to the id (§3.1 SHOULD verify): leave the vCard.
      this.ctx.log.debug({ username, id: intent.info.id }, "avatar metadata names no matching data item");
      return;
    }
    this.writePhoto(username, avatar);
  }

  /** Data published after the metadata that names it. */
  fromLateData(username: string, dataId: string): void {
    const meta = pepItems(this.ctx, { username, node: AVATAR_NS.METADATA, max: 1 });
    const latest = meta.ok ? meta.items.at(-1) : undefined;
    if (!latest?.payload || this.photoHash(username) === dataId.toLowerCase()) return;
    const intent = metadataIntent(latest.payload, latest.id);
    if (intent?.kind === "inline" && intent.info.id === dataId.toLowerCase()) this.fromMetadata(username, latest.id, latest.payload);
  }

  private writePhoto(username: string, avatar: Avatar | undefined): void {
    const stored = this.readVcard(username);
    if ((vcardPhoto(stored)?.id ?? null) === (avatar?.id ?? null)) {
      this.hashes.set(username, avatar?.id ?? null);
      return;
    }
    const updated = withPhoto(stored, avatar);
    const xml = updated.toString();
    if (Buffer.byteLength(xml) > MAX_VCARD_BYTES) {
      this.ctx.log.warn({ username, bytes: Buffer.byteLength(xml) }, "avatar too large for the vCard; not converted");
      return;
    }
    // Written directly, not through the vcard module: no vcard-stored event, so no loop back.
    this.vcards.set(username, updated.elements.length ? xml : undefined);
    this.hashes.set(username, avatar?.id ?? null);
  }

  private readVcard(username: string): Element | undefined {
    const xml = this.vcards.get(username);
    return xml ? parseFragment(xml) : undefined;
  }

  /** The id of the avatar PEP announces now, if any. */
  private currentMetadataId(username: string): string | undefined {
    const meta = pepItems(this.ctx, { username, node: AVATAR_NS.METADATA, max: 1 });
    const latest = meta.ok ? meta.items.at(-1) : undefined;
    if (!latest?.payload) return undefined;
    const intent = metadataIntent(latest.payload, latest.id);
    return intent?.kind === "inline" ? intent.info.id : undefined;
  }

  private report(username: string, what: string, result: PepResult<object>): boolean {
    if (!result.ok) this.ctx.log.warn({ username, what, condition: result.error.condition }, "vCard avatar not converted to PEP");
    return result.ok;
  }
}
