// Answers the server-side PEP requests of api.ts (other modules publishing to or reading from an
// account's PEP service). The account itself is the actor, so its owner rights apply.
import { PubSubError } from "../../services/pubsub/types.js";
import { StanzaError } from "../../stanza/errors.js";
import { parseFragment } from "../../xml/fragment.js";
import { toStanzaError } from "../pubsub/errors.js";
import {
  PEP_CONFIGURE,
  PEP_DELETE_NODE,
  PEP_ITEMS,
  PEP_PUBLISH,
  PEP_RETRACT,
  type PepConfigureRequest,
  type PepDeleteNodeRequest,
  type PepItemsRequest,
  type PepOptions,
  type PepPublishRequest,
  type PepResult,
  type PepRetractRequest,
} from "./api.js";
import type { PepEnv } from "./env.js";

function optionsMap(options: PepOptions | undefined): Map<string, string[]> | undefined {
  if (!options) return undefined;
  const m = new Map<string, string[]>();
  for (const [k, v] of Object.entries(options)) m.set(k, typeof v === "string" ? [v] : [...(v as readonly string[])]);
  return m;
}

export function registerPepApi(env: PepEnv): void {
  const { ctx, service } = env;
  const run = <T extends object>(username: string, fn: () => T): PepResult<T> => {
    if (!ctx.auth.userExists(username)) return { ok: false, error: new StanzaError("item-not-found", "no such account") };
    const was = env.serverActing;
    env.serverActing = true;
    try {
      return { ok: true, ...fn() };
    } catch (err) {
      if (err instanceof PubSubError) return { ok: false, error: toStanzaError(err) };
      ctx.log.error({ err }, "PEP request failed");
      return { ok: false, error: new StanzaError("internal-server-error") };
    } finally {
      env.serverActing = was;
    }
  };

  ctx.hook<PepPublishRequest>(PEP_PUBLISH, (req) =>
    run(req.username, () => {
      const owner = env.ownerJid(req.username);
      const { item } = service.publish(req.username, req.node, owner, { id: req.id, payload: req.payload.toString(), options: optionsMap(req.options), autoCreate: true });
      return { id: item.id };
    }),
  );
  ctx.hook<PepRetractRequest>(PEP_RETRACT, (req) =>
    run(req.username, () => {
      service.retract(req.username, req.node, env.ownerJid(req.username), req.ids, req.notify);
      return {};
    }),
  );
  ctx.hook<PepItemsRequest>(PEP_ITEMS, (req) =>
    run(req.username, () => {
      const requester = req.requester ?? env.ownerJid(req.username);
      const { items } = service.getItems(req.username, req.node, requester, { max: req.max, ids: req.ids });
      return {
        items: items.map((i) => ({ id: i.id, publisher: i.publisher, payload: i.payload === undefined ? undefined : parseFragment(i.payload), published: new Date(i.published) })),
      };
    }),
  );
  ctx.hook<PepConfigureRequest>(PEP_CONFIGURE, (req) =>
    run(req.username, () => {
      service.configure(req.username, req.node, env.ownerJid(req.username), optionsMap(req.options) ?? new Map());
      return {};
    }),
  );
  ctx.hook<PepDeleteNodeRequest>(PEP_DELETE_NODE, (req) =>
    run(req.username, () => {
      service.deleteNode(req.username, req.node, env.ownerJid(req.username));
      return {};
    }),
  );
}
