// Node configuration fields (XEP-0060 §16.4.3 pubsub#node_config) as plain strings: the defaults,
// one entry per field that reads and writes NodeConfig, applying a submitted set of values and the
// publish-options precondition check (§7.1.5). Data-form XML lives in src/modules/pubsub/forms.ts.
import { ACCESS_MODELS, PUBLISH_MODELS, PubSubError, SEND_LAST_VALUES, type NodeConfig, type PubSubLimits } from "./types.js";

export function defaultNodeConfig(overrides: Partial<NodeConfig> = {}): NodeConfig {
  return {
    title: "",
    description: "",
    accessModel: "open",
    publishModel: "publishers",
    maxItems: 10,
    persistItems: true,
    sendLastPublishedItem: "on_sub",
    deliverPayloads: true,
    deliverNotifications: true,
    notifyRetract: true,
    notifyDelete: true,
    notifyConfig: false,
    rosterGroupsAllowed: [],
    type: "",
    notificationType: "headline",
    ...overrides,
  };
}

export type FieldType = "boolean" | "list-single" | "list-multi" | "text-single" | "text-multi";

export interface ConfigField {
  /** The data-form var, e.g. "pubsub#max_items". */
  readonly var: string;
  readonly type: FieldType;
  readonly label: string;
  readonly options?: readonly string[];
  read(config: NodeConfig, limits: PubSubLimits): string[];
  /** Writes the submitted values; returns why they were refused. */
  write(config: NodeConfig, values: string[], limits: PubSubLimits): string | undefined;
  /** The value compared by publish-options preconditions (normalized). */
  normalize?(values: string[], limits: PubSubLimits): string | undefined;
}

function parseBoolean(values: string[]): boolean | undefined {
  const v = values[0]?.trim();
  if (v === "1" || v === "true") return true;
  if (v === "0" || v === "false") return false;
  return undefined;
}

function booleanField(name: string, label: string, key: { [K in keyof NodeConfig]: NodeConfig[K] extends boolean ? K : never }[keyof NodeConfig]): ConfigField {
  return {
    var: `pubsub#${name}`,
    type: "boolean",
    label,
    read: (c) => [c[key] ? "1" : "0"],
    write: (c, values) => {
      const b = parseBoolean(values);
      if (b === undefined) return `pubsub#${name} must be a boolean`;
      c[key] = b;
      return undefined;
    },
    normalize: (values) => {
      const b = parseBoolean(values);
      return b === undefined ? undefined : b ? "1" : "0";
    },
  };
}

function choiceField<V extends string>(name: string, label: string, choices: readonly V[], get: (c: NodeConfig) => V, set: (c: NodeConfig, v: V) => void): ConfigField {
  return {
    var: `pubsub#${name}`,
    type: "list-single",
    label,
    options: choices,
    read: (c) => [get(c)],
    write: (c, values) => {
      const v = values[0]?.trim();
      if (v === undefined || !(choices as readonly string[]).includes(v)) return `pubsub#${name} must be one of ${choices.join(", ")}`;
      set(c, v as V);
      return undefined;
    },
  };
}

function textField(name: string, label: string, key: "title" | "description" | "type"): ConfigField {
  return {
    var: `pubsub#${name}`,
    type: "text-single",
    label,
    read: (c) => [c[key]],
    write: (c, values) => {
      c[key] = values.join("\n");
      return undefined;
    },
  };
}

/** "max" or a count within the service limit; the effective number for comparisons. */
function effectiveMax(value: number | "max", limits: PubSubLimits): number {
  return value === "max" ? limits.maxItemsPerNode : Math.min(value, limits.maxItemsPerNode);
}

function parseMaxItems(values: string[], limits: PubSubLimits): number | "max" | string {
  const v = values[0]?.trim() ?? "";
  if (v === "max") return "max";
  if (!/^\d+$/.test(v)) return "pubsub#max_items must be a number or \"max\"";
  const n = Number(v);
  if (n > limits.maxItemsPerNode) return `pubsub#max_items may be at most ${limits.maxItemsPerNode}`;
  return n;
}

export const CONFIG_FIELDS: readonly ConfigField[] = [
  textField("title", "A friendly name for the node", "title"),
  textField("description", "A description of the node", "description"),
  choiceField("access_model", "Who may subscribe and retrieve items", ACCESS_MODELS, (c) => c.accessModel, (c, v) => (c.accessModel = v)),
  choiceField("publish_model", "Who may publish items", PUBLISH_MODELS, (c) => c.publishModel, (c, v) => (c.publishModel = v)),
  {
    var: "pubsub#max_items",
    type: "text-single",
    label: "Most items to keep",
    read: (c) => [String(c.maxItems)],
    write: (c, values, limits) => {
      const n = parseMaxItems(values, limits);
      if (typeof n === "string" && n !== "max") return n;
      c.maxItems = n as number | "max";
      return undefined;
    },
    normalize: (values, limits) => {
      const n = parseMaxItems(values, limits);
      return typeof n === "string" && n !== "max" ? undefined : String(effectiveMax(n as number | "max", limits));
    },
  },
  booleanField("persist_items", "Persist items to storage", "persistItems"),
  choiceField("send_last_published_item", "When to send the last published item", SEND_LAST_VALUES, (c) => c.sendLastPublishedItem, (c, v) => (c.sendLastPublishedItem = v)),
  booleanField("deliver_payloads", "Deliver payloads with event notifications", "deliverPayloads"),
  booleanField("deliver_notifications", "Deliver event notifications", "deliverNotifications"),
  booleanField("notify_retract", "Notify subscribers when items are removed", "notifyRetract"),
  booleanField("notify_delete", "Notify subscribers when the node is deleted", "notifyDelete"),
  booleanField("notify_config", "Notify subscribers when the configuration changes", "notifyConfig"),
  {
    var: "pubsub#roster_groups_allowed",
    type: "list-multi",
    label: "Roster groups allowed to subscribe",
    read: (c) => [...c.rosterGroupsAllowed],
    write: (c, values) => {
      c.rosterGroupsAllowed = values.filter((v) => v !== "");
      return undefined;
    },
  },
  textField("type", "The type of node data (payload namespace)", "type"),
  choiceField("notification_type", "Message type of notifications", ["headline", "normal"] as const, (c) => c.notificationType, (c, v) => (c.notificationType = v)),
];

const BY_VAR = new Map(CONFIG_FIELDS.map((f) => [f.var, f]));

/**
 * A copy of `config` with the submitted values applied (fields left out keep their values). A bad
 * value refuses the whole submission (§8.2.5: nothing half-applied). Fields this service does not
 * implement (pubsub#item_expire, pubsub#notify_sub …) are ignored, as XEP-0004 asks of receivers,
 * so a client that sends a richer form than we offer still gets its node.
 */
export function applyConfig(config: NodeConfig, values: ReadonlyMap<string, string[]>, limits: PubSubLimits): NodeConfig {
  const next: NodeConfig = { ...config, rosterGroupsAllowed: [...config.rosterGroupsAllowed] };
  for (const [name, vals] of values) {
    if (name === "FORM_TYPE") continue;
    const field = BY_VAR.get(name);
    if (!field) continue;
    const problem = field.write(next, vals, limits);
    if (problem) throw new PubSubError("not-acceptable", undefined, undefined, problem);
  }
  return next;
}

/**
 * §7.1.5: publish-options are preconditions on an existing node. Every option this service
 * implements must equal (normalized) the node's value; otherwise the publish is refused with
 * conflict + precondition-not-met, so a client never publishes private data to a node that is
 * configured differently than it asked for. Options it does not implement are ignored, the same
 * as when they configure a new node (applyConfig), so that a client's usual recovery
 * (configure, then publish again) cannot end in a loop.
 */
export function checkPreconditions(config: NodeConfig, options: ReadonlyMap<string, string[]>, limits: PubSubLimits): void {
  for (const [name, vals] of options) {
    if (name === "FORM_TYPE") continue;
    const field = BY_VAR.get(name);
    if (!field) continue;
    const fail = () => new PubSubError("conflict", "precondition-not-met", undefined, `the node's ${name} differs`);
    const norm = field.normalize ?? ((v: string[]) => (field.type === "list-multi" ? [...v].sort().join("\n") : v.join("\n")));
    const wanted = norm(vals, limits);
    const actual = norm(field.read(config, limits), limits);
    if (wanted === undefined || wanted !== actual) throw fail();
  }
}

/** The number of items a node keeps under its configuration and the service limit. */
export function itemLimit(config: NodeConfig, limits: PubSubLimits): number {
  return effectiveMax(config.maxItems, limits);
}

// ---- Storage encoding ----------------------------------------------------------------------------

export function decodeConfig(raw: unknown, fallback: NodeConfig): NodeConfig {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return fallback;
  const r = raw as Record<string, unknown>;
  const out: NodeConfig = { ...fallback, rosterGroupsAllowed: [...fallback.rosterGroupsAllowed] };
  const str = (k: keyof NodeConfig) => (typeof r[k] === "string" ? (r[k] as string) : undefined);
  const bool = (k: keyof NodeConfig) => (typeof r[k] === "boolean" ? (r[k] as boolean) : undefined);
  out.title = str("title") ?? out.title;
  out.description = str("description") ?? out.description;
  out.type = str("type") ?? out.type;
  const am = str("accessModel");
  if (am && (ACCESS_MODELS as readonly string[]).includes(am)) out.accessModel = am as NodeConfig["accessModel"];
  const pm = str("publishModel");
  if (pm && (PUBLISH_MODELS as readonly string[]).includes(pm)) out.publishModel = pm as NodeConfig["publishModel"];
  const sl = str("sendLastPublishedItem");
  if (sl && (SEND_LAST_VALUES as readonly string[]).includes(sl)) out.sendLastPublishedItem = sl as NodeConfig["sendLastPublishedItem"];
  if (r.maxItems === "max" || (typeof r.maxItems === "number" && Number.isInteger(r.maxItems) && r.maxItems >= 0)) out.maxItems = r.maxItems as number | "max";
  for (const k of ["persistItems", "deliverPayloads", "deliverNotifications", "notifyRetract", "notifyDelete", "notifyConfig"] as const) {
    const b = bool(k);
    if (b !== undefined) out[k] = b;
  }
  if (Array.isArray(r.rosterGroupsAllowed)) out.rosterGroupsAllowed = r.rosterGroupsAllowed.filter((g): g is string => typeof g === "string");
  if (r.notificationType === "normal" || r.notificationType === "headline") out.notificationType = r.notificationType;
  return out;
}
