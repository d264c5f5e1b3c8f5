// Answering an IQ from a raw bus hook. Node-level disco (XEP-0060 §5) has to run before the
// generic disco handlers, which claim every query they see, so it hooks the iq-get event at a
// higher priority and builds the reply envelope itself (the same shape ModuleContext.iq builds).
import type { StanzaEvent } from "../../router/events.js";
import type { ModuleContext } from "../../server/module-api.js";
import { StanzaError } from "../../stanza/errors.js";
import { iqResult } from "../../stanza/stanza.js";
import type { Element } from "../../xml/element.js";

/** Sends the result (or returns the error for the router to bounce); true claims the event. */
export function replyFromHook(ctx: ModuleContext, ev: StanzaEvent, value: Element | true | StanzaError): true | StanzaError {
  if (value instanceof StanzaError) return value;
  const reply = iqResult(ev.stanza, value === true ? undefined : value);
  reply.attrs.to = ev.from.toString();
  if (ev.stanza.attrs.to === undefined) delete reply.attrs.from;
  else reply.attrs.from = ev.stanza.attrs.to;
  if (ev.origin && (ev.origin.jid?.equals(ev.from) || reply.attrs.from === undefined)) ev.origin.send(reply);
  else ctx.route(reply);
  return true;
}
