// Data forms of XEP-0060 (§16.4): the node configuration form (pubsub#node_config), submitted
// configuration and publish-options (pubsub#publish-options), and node meta-data for disco#info.
// The field table lives in the domain (services/pubsub/config.ts); the XEP-0004 helpers are the
// shared ones in ../adhoc/forms.ts.
import { CONFIG_FIELDS } from "../../services/pubsub/config.js";
import type { NodeConfig, NodeRecord, PubSubLimits } from "../../services/pubsub/types.js";
import { StanzaError } from "../../stanza/errors.js";
import type { Element } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { buildForm, formTypeField, parseForm, type Field } from "../adhoc/forms.js";
import { PUBSUB_NS } from "./ns.js";

/** §8.2.1 / §8.3: the configuration form, filled with the node's (or the default) values. */
export function configForm(config: NodeConfig, limits: PubSubLimits): Element {
  return buildForm({
    type: "form",
    fields: [
      formTypeField(PUBSUB_NS.NODE_CONFIG),
      ...CONFIG_FIELDS.map((f): Field => {
        const field: Field = { var: f.var, type: f.type, label: f.label, values: f.read(config, limits) };
        if (f.options) field.options = f.options.map((value) => ({ value }));
        return field;
      }),
    ],
  });
}

/**
 * The values of a submitted form by field var, or why it is refused. `formType` is what the
 * FORM_TYPE must be when present (XEP-0068); a cancel form yields undefined (nothing to apply).
 */
export function readSubmitted(el: Element | undefined, formType: string): Map<string, string[]> | undefined | StanzaError {
  if (!el) return new Map();
  const form = parseForm(el);
  if (form.type === "cancel") return undefined;
  if (el.attrs.type !== undefined && form.type !== "submit") return new StanzaError("bad-request", "the form must be of type 'submit'");
  const values = new Map<string, string[]>();
  for (const field of form.fields) {
    if (field.var === undefined) return new StanzaError("bad-request", "a form field without 'var'");
    if (field.var === "FORM_TYPE") {
      if (field.values[0] !== formType) return new StanzaError("bad-request", `FORM_TYPE must be ${formType}`);
      continue;
    }
    values.set(field.var, field.values);
  }
  return values;
}

/** The data form among a wrapper's children (<configure/>, <publish-options/>), if any. */
export function formIn(wrapper: Element | undefined): Element | undefined {
  return wrapper?.getChild("x", NS.DATA_FORMS);
}

/** §5.4: node meta-data for disco#info. */
export function metaDataForm(node: NodeRecord, owners: readonly string[]): Element {
  const c = node.config;
  return buildForm({
    type: "result",
    fields: [
      formTypeField(PUBSUB_NS.META_DATA),
      { var: "pubsub#title", values: [c.title] },
      { var: "pubsub#description", values: [c.description] },
      { var: "pubsub#type", values: [c.type] },
      { var: "pubsub#access_model", values: [c.accessModel] },
      { var: "pubsub#publish_model", values: [c.publishModel] },
      { var: "pubsub#owner", type: "jid-multi", values: [...owners] },
      { var: "pubsub#creation_date", values: [new Date(node.created).toISOString()] },
    ],
  });
}
