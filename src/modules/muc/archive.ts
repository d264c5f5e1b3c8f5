// The rooms' archive (XEP-0313 §3.3.2 "MUC archives", §5.1.2): every groupchat message a room
// with muc#roomconfig_enablearchiving accepts and reflects, once (not once per occupant), in the
// component's archive store — one archive per room, keyed by the room's localpart. The archive
// id is the XEP-0359 <stanza-id by=room/> occupants receive (§3.5), so a client can page from a
// message it saw live. Appends are batched per event-loop turn by the same writer user archives
// use (mam/writer.ts); readers and deletions flush first.
//
// What is stored: the message as reflected (from the sender's occupant JID, without 'to'), minus
// any muc#user <x/> the sender put in (§8.4 "MUC message spoofing": only the archive may add one,
// at query time, to say who really sent it). The sender's real full JID is the item's 'with', so
// the 'with' filter matches the publisher (§4.1.1) and results can name it to those allowed to see.
import type { ModuleContext } from "../../server/module-api.js";
import { ROOM_ARCHIVE_STORE } from "../../services/archive-retention.js";
import type { ArchiveStore } from "../../storage/types.js";
import type { Element } from "../../xml/element.js";
import { hasContent } from "../mam/hints.js";
import { ARCHIVE_NS } from "../mam/ns.js";
import { ArchiveWriter } from "../mam/writer.js";
import { MUC_NS } from "./ns.js";

export class RoomArchive {
  readonly store: ArchiveStore;
  private readonly writer: ArchiveWriter;

  constructor(ctx: ModuleContext) {
    this.store = ctx.archive(ROOM_ARCHIVE_STORE);
    this.writer = new ArchiveWriter(this.store, (fn) => ctx.storage.transaction(fn), ctx.log);
    ctx.onClose(() => this.writer.flush());
  }

  /**
   * Archives a reflected groupchat message of `room` (its localpart) sent by `senderJid` (real
   * full JID) and returns its archive id.
   */
  append(room: string, reflected: Element, senderJid: string): string {
    const kept = reflected.clone();
    delete kept.attrs.to;
    kept.removeChildren((el) => el.name === "x" && el.attrs.xmlns === MUC_NS.USER);
    kept.removeChildren((el) => el.name === "stanza-id" && el.attrs.xmlns === MUC_NS.SID);
    return this.writer.append(room, kept.toString(), { with: senderJid });
  }

  /** Everything appended so far is in the store (before a query or a deletion). */
  flush(): void {
    this.writer.flush();
  }

  /** A room that no longer exists takes its archive with it (a new room of that name starts empty). */
  deleteRoom(room: string): number {
    this.writer.flush();
    return this.store.delete(room);
  }
}

/**
 * Whether a groupchat message belongs in the room's archive (§5.1.2: messages with a body, subject
 * changes, and content such as encrypted payloads; never what its sender marked XEP-0334
 * <no-store/> or <no-permanent-store/>).
 */
export function worthArchiving(message: Element): boolean {
  if (message.getChild("no-store", ARCHIVE_NS.HINTS) || message.getChild("no-permanent-store", ARCHIVE_NS.HINTS)) return false;
  return hasContent(message) || message.getChild("store", ARCHIVE_NS.HINTS) !== undefined;
}
