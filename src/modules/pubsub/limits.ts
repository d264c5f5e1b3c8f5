// The service limits from configuration (pubsub.*).
import type { Config } from "../../config/types.js";
import type { PubSubLimits } from "../../services/pubsub/types.js";

export function pubsubLimits(config: Config): PubSubLimits {
  const c = config.pubsub;
  return { maxItemsPerNode: c.maxItems, maxPayloadBytes: c.maxPayloadBytes, maxNodesPerOwner: c.maxNodesPerOwner };
}
