// The XEP-0313 query form (XEP-0004 data form, FORM_TYPE urn:xmpp:mam:2): what the server offers
// (§4.1.5 "Retrieving form fields") and reading what a client submits.
import { StanzaError } from "../../stanza/errors.js";
import { type Element, x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { ARCHIVE_NS } from "./ns.js";

/** The fields this server understands, in the order the form lists them. */
export const QUERY_FIELDS = ["with", "start", "end", "before-id", "after-id", "ids"] as const;
export type QueryField = (typeof QUERY_FIELDS)[number];

/** The form a client gets for `iq-get` of the query (§4.1.5): the mandatory fields and the extended ones. */
export function queryForm(): Element {
  return x(
    "x",
    { xmlns: NS.DATA_FORMS, type: "form" },
    x("field", { type: "hidden", var: "FORM_TYPE" }, x("value", null, ARCHIVE_NS.MAM)),
    x("field", { type: "jid-single", var: "with" }),
    x("field", { type: "text-single", var: "start" }),
    x("field", { type: "text-single", var: "end" }),
    x("field", { type: "text-single", var: "before-id" }),
    x("field", { type: "text-single", var: "after-id" }),
    // §4.1.5: the list of ids is open (XEP-0122), never enumerated.
    x("field", { type: "list-multi", var: "ids" }, x("validate", { xmlns: ARCHIVE_NS.XDATA_VALIDATE, datatype: "xs:string" }, x("open"))),
  );
}

/**
 * The submitted values by field (fields without a value are left out). A FORM_TYPE other than
 * urn:xmpp:mam:2 is a bad-request; a field this server does not know is feature-not-implemented
 * (§4.1.5: "If a client includes a form field that the server does not recognise…").
 */
export function readQueryForm(form: Element | undefined): Map<QueryField, string[]> | StanzaError {
  const values = new Map<QueryField, string[]>();
  if (!form) return values;
  const type = form.attrs.type;
  if (type !== undefined && type !== "submit") return new StanzaError("bad-request", "the query form must be of type 'submit'");
  for (const field of form.getChildren("field")) {
    const name = field.attrs.var;
    if (name === undefined) return new StanzaError("bad-request", "a form field without 'var'");
    const texts = field.getChildren("value").map((v) => v.getText());
    if (name === "FORM_TYPE") {
      if (texts.length !== 1 || texts[0] !== ARCHIVE_NS.MAM) return new StanzaError("bad-request", `FORM_TYPE must be ${ARCHIVE_NS.MAM}`);
      continue;
    }
    if (!(QUERY_FIELDS as readonly string[]).includes(name)) return new StanzaError("feature-not-implemented", `unknown field '${name}'`);
    const nonEmpty = texts.map((t) => t.trim()).filter((t) => t !== "");
    if (nonEmpty.length > 0) values.set(name as QueryField, nonEmpty);
  }
  return values;
}
