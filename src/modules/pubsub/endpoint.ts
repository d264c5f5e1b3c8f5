// What distinguishes one pubsub front (the pubsub.<domain> component, or PEP on an account) from
// another: which service a request addresses, whether publishing creates nodes, who may create
// them, how the last item reaches a new subscriber. The request handlers are written once
// against this interface.
import type { Jid } from "../../jid/jid.js";
import type { PubSubService } from "../../services/pubsub/service.js";
import type { Item, NodeRecord } from "../../services/pubsub/types.js";

export interface PubSubEndpoint {
  readonly service: PubSubService;
  /** The service key of a request's target ("pubsub.example.org", or the account's username). */
  key(to: Jid): string;
  /** XEP-0163 §3: publishing to a node that does not exist creates it. */
  readonly autoCreate: boolean;
  /** Service policy on node creation, before the domain's own checks (owner, limits). */
  mayCreate(key: string, actor: Jid): boolean;
  /** Delivers the node's last item to a new subscription (send_last_published_item "on_sub*"). */
  sendLastItem(key: string, node: NodeRecord, item: Item, to: string): void;
}
