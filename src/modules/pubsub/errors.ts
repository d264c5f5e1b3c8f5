// PubSubError (the domain's refusal) → StanzaError with XEP-0060's application-specific condition
// (<precondition-not-met xmlns='…pubsub#errors'/>, <unsupported feature='…'/> …).
import { PubSubError } from "../../services/pubsub/types.js";
import { StanzaError } from "../../stanza/errors.js";
import { x } from "../../xml/element.js";
import { PUBSUB_NS } from "./ns.js";

export function toStanzaError(err: PubSubError): StanzaError {
  const app = err.app ? x(err.app, { xmlns: PUBSUB_NS.ERRORS, feature: err.feature }) : undefined;
  const text = err.app || err.message === err.condition ? undefined : err.message;
  return new StanzaError(err.condition, text, undefined, app);
}

/** Runs a domain call, turning a PubSubError into its stanza error (anything else propagates). */
export function guarded<T>(fn: () => T): T | StanzaError {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PubSubError) return toStanzaError(err);
    throw err;
  }
}

export function pubsubError(condition: PubSubError["condition"], app?: PubSubError["app"], feature?: string): StanzaError {
  return toStanzaError(new PubSubError(condition, app, feature));
}
