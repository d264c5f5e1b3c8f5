// The server-side API of PEP (XEP-0163) for other modules on the same host (avatars, nicknames,
// bookmarks compatibility …): requests are host-bus events the PEP module answers synchronously,
// observations are events it fires after every change, whoever made it (a client or a module).
// Nothing here needs the PEP module's internals; see src/services/pubsub/API.md.
import { StanzaError } from "../../stanza/errors.js";
import type { Element } from "../../xml/element.js";

/** What the bus needs: any ModuleContext fits. */
export interface PepBus {
  fire<P>(event: string, payload: P): unknown;
}

export type PepResult<T> = ({ ok: true } & T) | { ok: false; error: StanzaError };

export interface PepItem {
  id: string;
  /** Bare JID of the publisher. */
  publisher: string;
  /** The payload element (a fresh copy: callers may keep or change it). */
  payload: Element | undefined;
  published: Date;
}

/** Publish-options (XEP-0060 §7.1.5) by field var, e.g. { "pubsub#access_model": "whitelist" }. */
export type PepOptions = Readonly<Record<string, string | readonly string[]>>;

// ---- Requests (answered by the PEP module) -----------------------------------------------------

export const PEP_PUBLISH = "pep-publish";
export interface PepPublishRequest {
  /** The account (local username) whose PEP service is published to. */
  username: string;
  node: string;
  /** Item id; generated when absent. The same id replaces the item. */
  id?: string;
  payload: Element;
  /** Preconditions on an existing node / configuration of a node auto-created by this publish. */
  options?: PepOptions;
}

export const PEP_RETRACT = "pep-retract";
export interface PepRetractRequest {
  username: string;
  node: string;
  ids: readonly string[];
  /** Notify subscribers (default: the node's pubsub#notify_retract). */
  notify?: boolean;
}

export const PEP_ITEMS = "pep-items";
export interface PepItemsRequest {
  username: string;
  node: string;
  /** Bare JID whose access rights apply (default: the account itself, which sees everything). */
  requester?: string;
  /** The newest `max` items only. */
  max?: number;
  ids?: readonly string[];
}

export const PEP_CONFIGURE = "pep-configure";
export interface PepConfigureRequest {
  username: string;
  node: string;
  /** Node configuration fields by var (as in the pubsub#node_config form). */
  options: PepOptions;
}

export const PEP_DELETE_NODE = "pep-delete-node";
export interface PepDeleteNodeRequest {
  username: string;
  node: string;
}

// ---- Observations (fired by the PEP module after the change; handlers must return undefined) -----

export const PEP_ITEM_PUBLISHED = "pep-item-published";
export interface PepItemPublishedEvent {
  username: string;
  node: string;
  item: PepItem;
  /** True when a server module published through PEP_PUBLISH (a client publish otherwise). */
  byServer: boolean;
}

export const PEP_ITEMS_RETRACTED = "pep-items-retracted";
export interface PepItemsRetractedEvent {
  username: string;
  node: string;
  ids: string[];
  byServer: boolean;
}

/** The node lost all its items: deleted (`deleted` true) or purged. */
export const PEP_NODE_CLEARED = "pep-node-cleared";
export interface PepNodeClearedEvent {
  username: string;
  node: string;
  deleted: boolean;
  byServer: boolean;
}

// ---- Helpers -------------------------------------------------------------------------------------

function ask<T>(bus: PepBus, event: string, req: unknown): PepResult<T> {
  const r = bus.fire(event, req) as PepResult<T> | undefined;
  return r ?? { ok: false, error: new StanzaError("service-unavailable", "PEP is not loaded") };
}

/** Publishes on an account's PEP node as the account itself (the node is auto-created). */
export function pepPublish(bus: PepBus, req: PepPublishRequest): PepResult<{ id: string }> {
  return ask(bus, PEP_PUBLISH, req);
}

export function pepRetract(bus: PepBus, req: PepRetractRequest): PepResult<object> {
  return ask(bus, PEP_RETRACT, req);
}

/** Items of a PEP node, oldest first. A missing node is { ok: false, error: item-not-found }. */
export function pepItems(bus: PepBus, req: PepItemsRequest): PepResult<{ items: PepItem[] }> {
  return ask(bus, PEP_ITEMS, req);
}

export function pepConfigure(bus: PepBus, req: PepConfigureRequest): PepResult<object> {
  return ask(bus, PEP_CONFIGURE, req);
}

export function pepDeleteNode(bus: PepBus, req: PepDeleteNodeRequest): PepResult<object> {
  return ask(bus, PEP_DELETE_NODE, req);
}
