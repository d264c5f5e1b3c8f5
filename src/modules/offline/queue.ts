// The offline queue of each account (XEP-0160 §2 "Process Flow"): messages that found no
// available resource are stored with a XEP-0203 delay and delivered, in order, to the first
// resource that next becomes available with a non-negative priority, then removed.
import type { StanzaEvent } from "../../router/events.js";
import type { ModuleContext } from "../../server/module-api.js";
import { StanzaError } from "../../stanza/errors.js";
import { messageType, presenceType } from "../../stanza/stanza.js";
import type { ArchiveStore } from "../../storage/types.js";
import type { Session } from "../../stream/session.js";
import { x } from "../../xml/element.js";
import { parseFragment } from "../../xml/fragment.js";
import { NS } from "../../xml/ns.js";
import { storability } from "../mam/hints.js";
import type { OfflineOptions } from "./options.js";

export class OfflineQueue {
  constructor(
    private readonly ctx: ModuleContext,
    private readonly queued: ArchiveStore,
    private readonly options: OfflineOptions,
  ) {}

  /**
   * `message/<addr>` (before archiving and delivery): a message that would be stored for an
   * account whose queue is full is refused here, so the sender learns it was not delivered and no
   * archive keeps a message its recipient never accepted (XEP-0313 §6.1).
   */
  refuseWhenFull(ev: StanzaEvent, addr: "bare" | "full" | "self"): StanzaError | undefined {
    const type = messageType(ev.stanza);
    if (type !== "chat" && type !== "normal") return undefined;
    const user = ev.to.local;
    if (user === "") return undefined;
    // The same questions the message module asks (RFC 6121 §8.5): is there somewhere to deliver it?
    if (addr === "full" && this.ctx.sessions.get(user, ev.to.resource)) return undefined;
    // Sessions first: an online recipient (the common case) answers this without a storage read
    // (userExists is a SQLite lookup; asking it for every message cost ~15 µs/msg in bench W3).
    if (this.hasAvailableResource(user) || !this.ctx.auth.userExists(user)) return undefined;
    if (!storability(ev.stanza).offline) return undefined;
    return this.isFull(user) ? queueFull() : undefined;
  }

  /** `message/offline/handle`: store the message, or refuse it when the queue is full. */
  store(ev: StanzaEvent): true | StanzaError {
    const user = ev.to.local;
    // XEP-0160 §3: chat-state-only messages are not stored; XEP-0334 <no-store/> asks for no
    // storage at all. Neither is worth an error to the sender: they are dropped.
    if (!storability(ev.stanza).offline) return true;
    if (this.isFull(user)) return queueFull();
    const now = new Date();
    const copy = ev.stanza.clone();
    // XEP-0160 §2 / XEP-0203: when and by whom the message was held.
    copy.append(x("delay", { xmlns: NS.DELAY, from: this.ctx.host, stamp: now.toISOString() }, "Offline Storage"));
    try {
      this.queued.append(user, copy.toString(), { when: now, with: ev.from.toString() });
    } catch (err) {
      this.ctx.log.error({ err, user }, "could not store an offline message");
      return new StanzaError("internal-server-error", "the message could not be stored for later delivery");
    }
    return true;
  }

  /**
   * `presence/self` from a client, seen before the presence module handles it: when the presence
   * may make the session available with a non-negative priority (initial presence, or an update
   * of a session whose priority was negative), delivery is scheduled for after the presence
   * module has marked the session available (XEP-0160 §2 step 5).
   */
  onPresence(ev: StanzaEvent): undefined {
    const session = ev.origin;
    if (!session?.jid || presenceType(ev.stanza) !== "available") return undefined;
    if (session.presence !== undefined && session.priority >= 0) return undefined;
    queueMicrotask(() => this.deliver(session));
    return undefined;
  }

  /** Sends the queue, oldest first, to a session that is available with priority >= 0, then empties it. */
  deliver(session: Session): number {
    const jid = session.jid;
    if (!jid || session.state !== "bound" || session.presence === undefined || session.priority < 0) return 0;
    const items = this.queued.find(jid.local);
    if (items.length === 0) return 0;
    for (const item of items) {
      const stanza = parseFragment(item.value);
      if (stanza) session.send(stanza);
      else this.ctx.log.warn({ user: jid.local, key: item.key }, "an offline message could not be parsed; dropped");
    }
    // Nothing runs between find and delete: the queue holds exactly what was just sent.
    this.queued.delete(jid.local);
    return items.length;
  }

  deleteUser(user: string): void {
    this.queued.delete(user);
  }

  private isFull(user: string): boolean {
    return this.queued.count(user) >= this.options.maxMessages;
  }

  /** RFC 6121 §8.5.2.1.1: resources that receive messages to the bare JID. */
  private hasAvailableResource(user: string): boolean {
    return this.ctx.sessions.forUser(user).some((s) => s.presence !== undefined && s.priority >= 0);
  }
}

/**
 * The queue is full. XEP-0160 §2 suggests <service-unavailable/>; <resource-constraint/> (type
 * "wait") says what is true — the account exists, the server holds too much for it — and tells
 * the sender's client that retrying later may succeed.
 */
function queueFull(): StanzaError {
  return new StanzaError("resource-constraint", "the recipient's offline message queue is full");
}
