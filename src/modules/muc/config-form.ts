// The room configuration form (XEP-0045 §10.2, XEP-0004 data form with FORM_TYPE
// http://jabber.org/protocol/muc#roomconfig), rendered from and applied through the room options.
import type { RoomConfig } from "../../services/muc-room.js";
import { x, type Element } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { MUC_NS } from "./ns.js";
import type { MucOptions } from "./options.js";
import { roomOptions } from "./options/index.js";

export function configForm(roomJid: string, config: RoomConfig): Element {
  return x(
    "x",
    { xmlns: NS.DATA_FORMS, type: "form" },
    x("title", {}, `Configuration of ${roomJid}`),
    x("field", { var: "FORM_TYPE", type: "hidden" }, x("value", {}, MUC_NS.ROOMCONFIG)),
    roomOptions.map((o) =>
      x(
        "field",
        { var: o.field.var, type: o.field.type, label: o.field.label },
        o.read(config).map((v) => x("value", {}, v)),
        (o.field.options ?? []).map((opt) => x("option", { label: opt.label }, x("value", {}, opt.value))),
      ),
    ),
  );
}

/** The submitted values by field var (XEP-0004 §3.2). */
export function formValues(form: Element): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const field of form.getChildren("field")) {
    const name = field.attrs.var;
    if (name !== undefined) values.set(name, field.getChildren("value").map((v) => v.getText()));
  }
  return values;
}

/**
 * Applies a submitted form to a copy of `config`: the new configuration, or why the form was
 * refused (the room keeps its old configuration then). Fields a form leaves out keep their values.
 */
export function applyConfigForm(config: RoomConfig, form: Element, limits: MucOptions): { config: RoomConfig } | { error: string } {
  const values = formValues(form);
  const formType = values.get("FORM_TYPE")?.[0];
  if (formType !== undefined && formType !== MUC_NS.ROOMCONFIG) return { error: "Unexpected FORM_TYPE" };
  const next: RoomConfig = { ...config };
  for (const option of roomOptions) {
    const v = values.get(option.field.var);
    if (v === undefined) continue;
    const problem = option.write(next, v, limits);
    if (problem) return { error: problem };
  }
  return { config: next };
}

/** The room's disco features implied by its configuration (§6.4). */
export function configFeatures(config: RoomConfig): string[] {
  return roomOptions.flatMap((o) => o.features?.(config) ?? []);
}
