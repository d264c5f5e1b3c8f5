// Small typed helpers over stanza Elements, so feature code never compares raw strings for the
// common questions (is this an IQ get? what is its payload? which type, defaulted per RFC 6120?).
import { Element, x } from "../xml/element.js";

export type StanzaName = "message" | "presence" | "iq";
export type IqType = "get" | "set" | "result" | "error";
export type MessageType = "chat" | "error" | "groupchat" | "headline" | "normal";
export type PresenceType = "available" | "unavailable" | "subscribe" | "subscribed" | "unsubscribe" | "unsubscribed" | "probe" | "error";

export function isStanzaName(name: string): name is StanzaName {
  return name === "message" || name === "presence" || name === "iq";
}

export function iqType(iq: Element): IqType | undefined {
  const t = iq.attrs.type;
  return t === "get" || t === "set" || t === "result" || t === "error" ? t : undefined;
}

/** RFC 6121 §5.2.2: a missing or unknown message type is "normal". */
export function messageType(msg: Element): MessageType {
  const t = msg.attrs.type;
  return t === "chat" || t === "error" || t === "groupchat" || t === "headline" ? t : "normal";
}

/** A presence without type is "available" (RFC 6121 §4.7.1). Unknown types are returned as undefined. */
export function presenceType(pres: Element): PresenceType | undefined {
  const t = pres.attrs.type;
  if (t === undefined) return "available";
  return t === "unavailable" || t === "subscribe" || t === "subscribed" || t === "unsubscribe" || t === "unsubscribed" || t === "probe" || t === "error"
    ? t
    : undefined;
}

/** The single payload child of an IQ get/set. */
export function iqPayload(iq: Element): Element | undefined {
  return iq.elements[0];
}

/** The result reply to an IQ (addresses swapped), optionally carrying a payload. */
export function iqResult(iq: Element, payload?: Element): Element {
  return x("iq", { type: "result", id: iq.attrs.id, to: iq.attrs.from, from: iq.attrs.to }, payload);
}

export function iq(attrs: Record<string, string | undefined> & { type: IqType }, payload?: Element): Element {
  return x("iq", attrs, payload);
}
