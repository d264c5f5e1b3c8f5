// The publish-subscribe domain service (XEP-0060), shared by the pubsub component and PEP.
export * from "./types.js";
export { applyConfig, checkPreconditions, CONFIG_FIELDS, defaultNodeConfig, itemLimit, type ConfigField } from "./config.js";
export { checkAccess, mayAccess, mayPublish } from "./access.js";
export { ITEMS_STORE, NODES_STORE, PubSubStore } from "./store.js";
export { bareOf, PubSubService, type ItemsQuery, type PublishRequest, type PublishResult, type PubSubServiceOptions } from "./service.js";
