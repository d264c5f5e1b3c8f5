// Answering an IQ from a hook that runs before the module that normally serves it (here: private
// XML storage:bookmarks, served from PEP ahead of the private module). ctx.iq() handlers all run
// at the default priority, so the interception is a plain hook and builds its reply the way the
// host does for ctx.iq() (RFC 6120 §8.2.3; from omitted for the account itself, §10.3.3).
import type { StanzaEvent } from "../../router/events.js";
import type { ModuleContext } from "../../server/module-api.js";
import { isStanzaError, type StanzaError } from "../../stanza/errors.js";
import { iqResult } from "../../stanza/stanza.js";
import type { Element } from "../../xml/element.js";

/** What an interception returns: undefined lets the event go on to its usual handler. */
export type Interception = Element | true | StanzaError | undefined;

/** Sends the result for `ev`; returns what the hook must return (a StanzaError is bounced by the router). */
export function answer(ctx: ModuleContext, ev: StanzaEvent, outcome: Interception): unknown {
  if (outcome === undefined || isStanzaError(outcome)) return outcome;
  const reply = iqResult(ev.stanza, outcome === true ? undefined : outcome);
  reply.attrs.to = ev.from.toString();
  if (ev.stanza.attrs.to === undefined) delete reply.attrs.from;
  if (ev.origin) ev.origin.send(reply);
  else ctx.route(reply);
  return true;
}
