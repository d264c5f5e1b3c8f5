// Stanza and stream errors as values (RFC 6120 §8.3, §4.9). Conditions are written exactly as in
// the RFC so they serialise without a lookup table; one function turns any StanzaError into XML.
import { Element, x } from "../xml/element.js";
import { NS } from "../xml/ns.js";

export type StanzaErrorType = "auth" | "cancel" | "continue" | "modify" | "wait";

export type StanzaErrorCondition =
  | "bad-request" | "conflict" | "feature-not-implemented" | "forbidden" | "gone" | "internal-server-error"
  | "item-not-found" | "jid-malformed" | "not-acceptable" | "not-allowed" | "not-authorized"
  | "policy-violation" | "recipient-unavailable" | "redirect" | "registration-required"
  | "remote-server-not-found" | "remote-server-timeout" | "resource-constraint" | "service-unavailable"
  | "subscription-required" | "undefined-condition" | "unexpected-request";

/** The RFC 6120 §8.3.3 default type of each condition, so callers usually name only the condition. */
const DEFAULT_TYPE: Record<StanzaErrorCondition, StanzaErrorType> = {
  "bad-request": "modify", conflict: "cancel", "feature-not-implemented": "cancel", forbidden: "auth",
  gone: "cancel", "internal-server-error": "cancel", "item-not-found": "cancel", "jid-malformed": "modify",
  "not-acceptable": "modify", "not-allowed": "cancel", "not-authorized": "auth", "policy-violation": "modify",
  "recipient-unavailable": "wait", redirect: "modify", "registration-required": "auth",
  "remote-server-not-found": "cancel", "remote-server-timeout": "wait", "resource-constraint": "wait",
  "service-unavailable": "cancel", "subscription-required": "auth", "undefined-condition": "cancel",
  "unexpected-request": "wait",
};

export class StanzaError {
  readonly type: StanzaErrorType;
  constructor(
    readonly condition: StanzaErrorCondition,
    readonly text?: string,
    type?: StanzaErrorType,
    /** An application-specific condition element (e.g. XEP-0060 <precondition-not-met/>). */
    readonly appCondition?: Element,
    /** The server JID that generated the error (the `by` attribute). */
    readonly by?: string,
  ) {
    this.type = type ?? DEFAULT_TYPE[condition];
  }

  toElement(): Element {
    const el = x("error", { type: this.type, by: this.by }, x(this.condition, { xmlns: NS.STANZA_ERRORS }));
    if (this.text) el.append(x("text", { xmlns: NS.STANZA_ERRORS }, this.text));
    if (this.appCondition) el.append(this.appCondition);
    return el;
  }
}

export function isStanzaError(v: unknown): v is StanzaError {
  return v instanceof StanzaError;
}

/** The error reply to a stanza: same name and id, addresses swapped, type="error". */
export function errorReply(stanza: Element, err: StanzaError): Element {
  return x(
    stanza.name,
    { type: "error", id: stanza.attrs.id, to: stanza.attrs.from, from: stanza.attrs.to, "xml:lang": stanza.attrs["xml:lang"] },
    err.toElement(),
  );
}

export type StreamErrorCondition =
  | "bad-format" | "bad-namespace-prefix" | "conflict" | "connection-timeout" | "host-gone" | "host-unknown"
  | "improper-addressing" | "internal-server-error" | "invalid-from" | "invalid-namespace" | "invalid-xml"
  | "not-authorized" | "not-well-formed" | "policy-violation" | "remote-connection-failed" | "reset"
  | "resource-constraint" | "restricted-xml" | "see-other-host" | "system-shutdown" | "undefined-condition"
  | "unsupported-encoding" | "unsupported-feature" | "unsupported-stanza-type" | "unsupported-version";

export class StreamError {
  constructor(
    readonly condition: StreamErrorCondition,
    readonly text?: string,
  ) {}

  toElement(): Element {
    const el = x("stream:error", null, x(this.condition, { xmlns: NS.STREAM_ERRORS }));
    if (this.text) el.append(x("text", { xmlns: NS.STREAM_ERRORS, "xml:lang": "en" }, this.text));
    return el;
  }
}
