// Error replies the MUC service sends itself. Presence errors are never bounced by the router
// (RFC 6120 §8.3.1 forbids replying to presence with errors in general, but XEP-0045 §7.2.6–§7.2.10
// requires them for refused entries), so the service builds them here.
import type { Refusal } from "../../services/muc-room.js";
import { StanzaError } from "../../stanza/errors.js";
import { x, type Element } from "../../xml/element.js";
import type { MucEnv } from "./env.js";
import { MUC_NS } from "./ns.js";

const REFUSAL_TEXT: Partial<Record<Refusal, string>> = {
  "not-authorized": "A password is required to enter this room",
  "registration-required": "This room is members-only",
  forbidden: "You are banned from this room",
  conflict: "That nickname is already in use",
  "service-unavailable": "The room is full",
  "item-not-found": "The room is locked until its owner configures it",
};

export function refusalError(refusal: Refusal, text?: string): StanzaError {
  return new StanzaError(refusal, text ?? REFUSAL_TEXT[refusal]);
}

/** §7.2.6–§7.2.10: an entry refused, echoing the <x xmlns='…muc'/> the client sent. */
export function sendPresenceError(env: MucEnv, original: Element, err: StanzaError): void {
  const from = original.attrs.to;
  const to = original.attrs.from;
  if (from === undefined || to === undefined) return;
  const reply = x("presence", { type: "error", from, to, id: original.attrs.id }, x("x", { xmlns: MUC_NS.MUC }), err.toElement());
  env.ctx.route(reply);
}
