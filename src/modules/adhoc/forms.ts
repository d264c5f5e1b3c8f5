// XEP-0004 Data Forms: a typed view of <x xmlns="jabber:x:data"/> and the two directions we need,
// build (forms and results we send) and parse (forms clients submit). Unknown field types survive
// parsing as plain strings, as §3.3 asks receivers to tolerate.
import { type Element, x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";

/** §3.3 field types. */
export type FieldType =
  | "boolean" | "fixed" | "hidden" | "jid-multi" | "jid-single" | "list-multi" | "list-single"
  | "text-multi" | "text-private" | "text-single";

/** §3.1 form types. */
export type FormType = "form" | "submit" | "cancel" | "result";

export interface FieldOption {
  label?: string;
  value: string;
}

export interface Field {
  var?: string;
  type?: FieldType | string;
  label?: string;
  desc?: string;
  required?: boolean;
  values: string[];
  options?: FieldOption[];
}

export interface DataForm {
  type: FormType;
  title?: string;
  instructions?: string[];
  fields: Field[];
  /** §3.4 multiple items: the column definitions … */
  reported?: Field[];
  /** … and one row of fields per item. */
  items?: Field[][];
}

export function buildForm(form: DataForm): Element {
  const el = x(
    "x",
    { xmlns: NS.DATA_FORMS, type: form.type },
    form.title !== undefined && x("title", null, form.title),
    (form.instructions ?? []).map((i) => x("instructions", null, i)),
  );
  if (form.reported) el.append(x("reported", null, form.reported.map(buildField)));
  for (const item of form.items ?? []) el.append(x("item", null, item.map(buildField)));
  el.append(...form.fields.map(buildField));
  return el;
}

function buildField(f: Field): Element {
  return x(
    "field",
    { var: f.var, type: f.type, label: f.label },
    f.desc !== undefined && x("desc", null, f.desc),
    f.required === true && x("required"),
    f.values.map((v) => x("value", null, v)),
    (f.options ?? []).map((o) => x("option", { label: o.label }, x("value", null, o.value))),
  );
}

/** The data form among an element's children (e.g. inside <command/>), if any. */
export function findForm(parent: Element): DataForm | undefined {
  const el = parent.getChild("x", NS.DATA_FORMS);
  return el ? parseForm(el) : undefined;
}

export function parseForm(el: Element): DataForm {
  const t = el.attrs.type;
  const type: FormType = t === "form" || t === "submit" || t === "cancel" || t === "result" ? t : "submit";
  const form: DataForm = { type, fields: el.getChildren("field").map(parseField) };
  const title = el.getChildText("title");
  if (title !== undefined) form.title = title;
  const instructions = el.getChildren("instructions").map((i) => i.getText());
  if (instructions.length) form.instructions = instructions;
  const reported = el.getChild("reported");
  if (reported) form.reported = reported.getChildren("field").map(parseField);
  const items = el.getChildren("item");
  if (items.length) form.items = items.map((i) => i.getChildren("field").map(parseField));
  return form;
}

function parseField(el: Element): Field {
  const f: Field = { values: el.getChildren("value").map((v) => v.getText()) };
  if (el.attrs.var !== undefined) f.var = el.attrs.var;
  if (el.attrs.type !== undefined) f.type = el.attrs.type;
  if (el.attrs.label !== undefined) f.label = el.attrs.label;
  if (el.getChild("required")) f.required = true;
  const desc = el.getChildText("desc");
  if (desc !== undefined) f.desc = desc;
  const options = el.getChildren("option");
  if (options.length) {
    f.options = options.map((o) => {
      const opt: FieldOption = { value: o.getChildText("value") ?? "" };
      if (o.attrs.label !== undefined) opt.label = o.attrs.label;
      return opt;
    });
  }
  return f;
}

/** The values of field `name` (empty when absent). */
export function fieldValues(form: DataForm | undefined, name: string): string[] {
  return form?.fields.find((f) => f.var === name)?.values ?? [];
}

/** The single value of field `name`; text-multi values are joined with newlines (§3.3). */
export function fieldValue(form: DataForm | undefined, name: string): string | undefined {
  const values = form?.fields.find((f) => f.var === name)?.values;
  return values === undefined || values.length === 0 ? undefined : values.join("\n");
}

/** §3.3 boolean: "1"/"true" are true, "0"/"false" false. */
export function fieldBoolean(form: DataForm | undefined, name: string): boolean | undefined {
  const v = fieldValue(form, name);
  if (v === "1" || v === "true") return true;
  if (v === "0" || v === "false") return false;
  return undefined;
}

/** The hidden FORM_TYPE field (XEP-0068) every XEP-0133 form carries. */
export function formTypeField(formType: string): Field {
  return { var: "FORM_TYPE", type: "hidden", values: [formType] };
}

/** A multi-line text as the values of a text-multi field (§3.3: one <value/> per line). */
export function lines(text: string): string[] {
  return text.split(/\r?\n/);
}
