// Puts messages into the archives of the local accounts they pass between (XEP-0313 §3, §6.1.1):
// the sender's copy as it leaves a local client (`pre-message/*`), the recipient's as it reaches a
// local account (`message/*`, before delivery or offline storage), each stored once whatever the
// number of resources it is then delivered to. The recipient's copy is delivered carrying the
// XEP-0359 <stanza-id/> of its archive item (XEP-0313 §3.5).
import { Jid } from "../../jid/jid.js";
import type { StanzaEvent } from "../../router/events.js";
import type { ModuleContext } from "../../server/module-api.js";
import { type Element, x } from "../../xml/element.js";
import { storability } from "./hints.js";
import { ARCHIVE_NS } from "./ns.js";
import type { PrefsService } from "./prefs.js";
import type { ArchiveWriter } from "./writer.js";

export class Archiver {
  constructor(
    private readonly ctx: ModuleContext,
    private readonly prefs: PrefsService,
    private readonly writer: ArchiveWriter,
  ) {}

  /** A message one of our clients sends (`pre-message/<bare|full|self|host>`); never claims it. */
  outgoing(ev: StanzaEvent): undefined {
    this.stripOurStanzaIds(ev.stanza);
    const sender = ev.from;
    if (!ev.origin || sender.domain !== this.ctx.host || sender.local === "") return undefined;
    const peer = ev.to;
    // A message to the account itself is archived once, as it arrives (incoming), so that it has
    // a stanza-id and appears once in the archive (§6.1.1: "store ... only once").
    if (peer.local === sender.local && peer.domain === sender.domain) return undefined;
    // Messages to the server itself (`host`) are commands and service traffic, not conversation.
    if (peer.local === "") return undefined;
    if (!storability(ev.stanza).archive) return undefined;
    // XEP-0441 §2.3.2: for outgoing messages the target is the 'to' address.
    if (!this.prefs.shouldArchive(sender.local, peer)) return undefined;
    this.writer.append(sender.local, ev.stanza.toString(), { with: peer.toString() });
    return undefined;
  }

  /** A message for one of our accounts (`message/<bare|full|self>`), before delivery; never claims it. */
  incoming(ev: StanzaEvent): undefined {
    const stanza = ev.stanza;
    this.stripOurStanzaIds(stanza);
    const user = ev.to.local;
    if (user === "" || !storability(stanza).archive) return undefined;
    // XEP-0441 §2.3.3: for incoming messages the target is the 'from' address. The preferences
    // decide before the account check (a storage read): with archiving off for this contact the
    // answer is the same and one lookup per message is saved (bench W3).
    if (!this.prefs.shouldArchive(user, ev.from) || !this.ctx.auth.userExists(user)) return undefined;
    const id = this.writer.append(user, stanza.toString(), { with: ev.from.toString() });
    stanza.append(x("stanza-id", { xmlns: ARCHIVE_NS.SID, by: Jid.of(user, this.ctx.host).toString(), id }));
    return undefined;
  }

  /**
   * XEP-0359 §4 (rules 3 and 4): an id claimed by our accounts or our domain can only be ours, and
   * a client must never be able to make another client believe an archive id it invented, so any
   * such <stanza-id/> already on the stanza is removed (as is one without a usable 'by').
   */
  private stripOurStanzaIds(stanza: Element): void {
    const claimsUs = (el: Element): boolean => {
      if (el.name !== "stanza-id" || el.attrs.xmlns !== ARCHIVE_NS.SID) return false;
      const by = Jid.tryParse(el.attrs.by);
      return by === undefined || (by.domain === this.ctx.host && by.resource === "");
    };
    if (stanza.elements.some(claimsUs)) stanza.removeChildren(claimsUs);
  }
}
