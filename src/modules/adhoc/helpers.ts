// Shapes most commands share, so the XEP-0133 modules stay declarative: one form to fill then a
// result (XEP-0133 §3 flow), or no form at all.
import { Jid } from "../../jid/jid.js";
import { StanzaError } from "../../stanza/errors.js";
import type { AdhocCommand, AdhocResult, AdhocSessionState } from "./engine.js";
import { badPayload } from "./engine.js";
import { type DataForm, type Field, fieldValue, fieldValues, formTypeField } from "./forms.js";

export interface FormCommandSpec {
  node: string;
  name: string;
  permission: AdhocCommand["permission"];
  /** The form shown first (FORM_TYPE is added). */
  form(state: AdhocSessionState): Omit<DataForm, "type"> | Promise<Omit<DataForm, "type">>;
  /** Runs with the submitted form; a StanzaError (e.g. badPayload) keeps the session open. */
  submit(form: DataForm, state: AdhocSessionState): AdhocResult | Promise<AdhocResult>;
  formType?: string;
}

/** XEP-0133 §3: execute → form (complete offered) → submit → completed. */
export function formCommand(spec: FormCommandSpec): AdhocCommand {
  const formType = spec.formType ?? "http://jabber.org/protocol/admin";
  return {
    node: spec.node,
    name: spec.name,
    permission: spec.permission,
    async handler(state, form) {
      // A client may submit the filled form with its very first request.
      if (form && form.type === "submit") return await spec.submit(form, state);
      if (state.stage > 0) return badPayload("submit the form (type=submit)");
      const shown = await spec.form(state);
      return {
        status: "executing",
        actions: ["complete"],
        defaultAction: "complete",
        form: { type: "form", ...shown, fields: [formTypeField(formType), ...shown.fields] },
      };
    },
  };
}

/** A command without input: executing it completes at once. */
export function resultCommand(spec: { node: string; name: string; permission: AdhocCommand["permission"]; run(state: AdhocSessionState): AdhocResult | Promise<AdhocResult> }): AdhocCommand {
  return { node: spec.node, name: spec.name, permission: spec.permission, handler: (state) => spec.run(state) };
}

/** A result form with FORM_TYPE and the given fields (XEP-0133 result forms). */
export function resultForm(fields: Field[], formType = "http://jabber.org/protocol/admin"): DataForm {
  return { type: "result", fields: [formTypeField(formType), ...fields] };
}

/** A required non-empty text field value, or a bad-payload error naming it. */
export function requireValue(form: DataForm, name: string): string | StanzaError {
  const v = fieldValue(form, name);
  return v === undefined || v.trim() === "" ? badPayload(`the field "${name}" is required`) : v;
}

/** Local accounts named by a jid-single/jid-multi field: each must be a JID of `host`. */
export function localJids(form: DataForm, name: string, host: string, opts: { allowFull?: boolean } = {}): Jid[] | StanzaError {
  const values = fieldValues(form, name).flatMap((v) => v.split(/[\s,]+/)).filter((v) => v !== "");
  if (values.length === 0) return badPayload(`the field "${name}" is required`);
  const out: Jid[] = [];
  for (const v of values) {
    const jid = Jid.tryParse(v.includes("@") ? v : `${v}@${host}`);
    if (!jid || jid.local === "") return new StanzaError("jid-malformed", `"${v}" is not an account JID`);
    if (jid.domain !== host) return new StanzaError("not-allowed", `${v} is not an account of ${host}`);
    if (!opts.allowFull && !jid.isBare) return new StanzaError("jid-malformed", `"${v}" names a resource; give the bare JID`);
    out.push(jid);
  }
  return out;
}
