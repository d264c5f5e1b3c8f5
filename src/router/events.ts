// Payloads of the bus events. Event names keep Prosody's grammar
// (`[pre-]<message|presence|iq>/<full|bare|host|self>`, `iq-<get|set>/<addr>/<ns>:<name>`,
// `stanza/<ns>:<name>`, `stream-features`, `resource-bind` …) so its documentation maps 1:1.
import type { Jid } from "../jid/jid.js";
import type { Session } from "../stream/session.js";
import type { Element } from "../xml/element.js";

export type Addr = "full" | "bare" | "host" | "self";

export interface StanzaEvent {
  /** The local client session it came from; undefined for stanzas the server itself generated. */
  origin: Session | undefined;
  stanza: Element;
  /** Prepared sender address (always set: the router stamps c2s stanzas). */
  from: Jid;
  /** Prepared destination; for `self` events the sender's bare JID. */
  to: Jid;
  /** The local host whose bus the event fires on. */
  host: string;
}

/** `stanza/<ns>:<name>`: a top-level element that is not a routable stanza (STARTTLS, SASL …), or a stanza before binding. */
export interface NonzaEvent {
  session: Session;
  el: Element;
}

export interface StreamFeaturesEvent {
  session: Session;
  features: Element;
}

export interface SessionEvent {
  session: Session;
}

export interface SessionUnbindEvent {
  session: Session;
  /** Why the session ended (stream error condition, "closed by client", "replaced" …). */
  reason: string;
}

export interface UserEvent {
  username: string;
  host: string;
}

export function stanzaEventName(name: string, addr: Addr, pre = false): string {
  return (pre ? "pre-" : "") + name + "/" + addr;
}

export function payloadKey(el: Element): string {
  return (el.attrs.xmlns ?? "") + ":" + el.name;
}
