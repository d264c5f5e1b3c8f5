// The publish-subscribe domain (XEP-0060) without XML: nodes, their configuration, items,
// affiliations and subscriptions. Item payloads are opaque serialized XML strings here; only the
// protocol adapters (src/modules/pubsub, src/modules/pep) parse or build elements.

/** XEP-0060 §4.5 access models ("authorize" is not offered: nobody approves pending requests here). */
export type AccessModel = "open" | "presence" | "roster" | "whitelist";
export const ACCESS_MODELS: readonly AccessModel[] = ["open", "presence", "roster", "whitelist"];

/** §16.4.3 pubsub#publish_model. */
export type PublishModel = "publishers" | "subscribers" | "open";
export const PUBLISH_MODELS: readonly PublishModel[] = ["publishers", "subscribers", "open"];

/** §16.4.3 pubsub#send_last_published_item. */
export type SendLastPublished = "never" | "on_sub" | "on_sub_and_presence";
export const SEND_LAST_VALUES: readonly SendLastPublished[] = ["never", "on_sub", "on_sub_and_presence"];

/** §4.1 affiliations. */
export type Affiliation = "owner" | "publisher" | "publish-only" | "member" | "none" | "outcast";
export const AFFILIATIONS: readonly Affiliation[] = ["owner", "publisher", "publish-only", "member", "none", "outcast"];

/** §4.2 subscription states ("pending" never arises: the authorize model is not offered). */
export type SubscriptionState = "subscribed" | "none";

/** The node configuration (§16.4.3 pubsub#node_config). `maxItems` "max" means the service's limit. */
export interface NodeConfig {
  title: string;
  description: string;
  accessModel: AccessModel;
  publishModel: PublishModel;
  maxItems: number | "max";
  persistItems: boolean;
  sendLastPublishedItem: SendLastPublished;
  deliverPayloads: boolean;
  deliverNotifications: boolean;
  notifyRetract: boolean;
  notifyDelete: boolean;
  notifyConfig: boolean;
  /** Roster groups allowed under the roster access model. */
  rosterGroupsAllowed: string[];
  /** The payload namespace the node is for (pubsub#type), informational. */
  type: string;
  /** "headline" or "normal" message type for notifications (pubsub#notification_type). */
  notificationType: "headline" | "normal";
}

export interface Item {
  id: string;
  /** Bare JID of the publisher. */
  publisher: string;
  /** The serialized payload element, or undefined for a notification-only (transient) item. */
  payload: string | undefined;
  /** When it was published (ms since the epoch). */
  published: number;
  /** Order of publication within the node (larger is newer). */
  seq: number;
}

export interface Subscription {
  /** The subscribed JID exactly as requested (bare or full). */
  jid: string;
  subid: string;
  state: SubscriptionState;
}

export interface NodeRecord {
  name: string;
  config: NodeConfig;
  /** Bare JID → affiliation other than "none". */
  affiliations: Record<string, Affiliation>;
  subscriptions: Subscription[];
  created: number;
  creator: string;
}

/** How a requester stands towards a node's owner, for the presence and roster access models. */
export interface ContactRelation {
  /** The requester is subscribed to the owner's presence (subscription "from" or "both" on the owner's side). */
  presence: boolean;
  /** The roster groups the owner put the requester in (undefined: not in the roster). */
  groups: string[] | undefined;
}

/**
 * What the service asks its adapter: the relation of `requester` (bare JID) to `owner` (bare JID),
 * the owner being an account of this server. Returns undefined when the owner has no roster here.
 */
export type RelationLookup = (owner: string, requester: string) => ContactRelation | undefined;

/** App-specific error conditions of XEP-0060 (pubsub#errors), in XML spelling. */
export type PubSubAppCondition =
  | "closed-node" | "configuration-required" | "invalid-jid" | "invalid-options" | "invalid-payload"
  | "invalid-subid" | "item-forbidden" | "item-required" | "jid-required" | "max-items-exceeded"
  | "max-nodes-exceeded" | "nodeid-required" | "not-in-roster-group" | "not-subscribed" | "payload-too-big"
  | "payload-required" | "pending-subscription" | "precondition-not-met" | "presence-subscription-required"
  | "subid-required" | "too-many-subscriptions" | "unsupported";

/** The stanza error conditions the service uses (RFC 6120 spelling). */
export type PubSubCondition =
  | "bad-request" | "conflict" | "feature-not-implemented" | "forbidden" | "item-not-found"
  | "not-acceptable" | "not-allowed" | "not-authorized" | "policy-violation" | "resource-constraint"
  | "unexpected-request" | "internal-server-error";

/** A refusal, as XEP-0060 spells it: a stanza condition, maybe an app condition (and its feature). */
export class PubSubError extends Error {
  constructor(
    readonly condition: PubSubCondition,
    readonly app?: PubSubAppCondition,
    /** For app "unsupported": the pubsub feature that is missing. */
    readonly feature?: string,
    text?: string,
  ) {
    super(text ?? (app ? `${condition} (${app})` : condition));
    this.name = "PubSubError";
  }
}

/** What happened, for the adapters to notify about (§7.1.2.1, §7.2.2.1, §8.1.5, §8.4.2, §8.5.2). */
export type PubSubEvent =
  | { kind: "publish"; service: string; node: NodeRecord; item: Item; publisherFull?: string }
  | { kind: "retract"; service: string; node: NodeRecord; ids: string[] }
  | { kind: "purge"; service: string; node: NodeRecord }
  | { kind: "delete"; service: string; node: NodeRecord; redirect?: string }
  | { kind: "config"; service: string; node: NodeRecord };

/** Service-wide limits (config `pubsub.*`). */
export interface PubSubLimits {
  /** What "max" means for max_items, and the most a node may keep. */
  maxItemsPerNode: number;
  /** Serialized payload bytes one item may take. */
  maxPayloadBytes: number;
  /** Nodes one owner may create in one service (PEP: per account). */
  maxNodesPerOwner: number;
}
