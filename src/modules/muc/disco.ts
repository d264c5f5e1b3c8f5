// Service discovery of the MUC service (XEP-0045 §6.1–§6.3: identity conference/text, the MUC
// feature, public rooms in disco#items) and of each room (§6.4: features from its configuration,
// the muc#roominfo form; §6.5: occupants are not listed).
import type { IqRequest } from "../../server/module-api.js";
import { DISCO_ITEMS_EVENT, type DiscoItemsEvent } from "../../server/components.js";
import { StanzaError } from "../../stanza/errors.js";
import { x, type Element } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { configFeatures } from "./config-form.js";
import type { MucEnv, MucRoom } from "./env.js";
import { MUC_NS } from "./ns.js";

export function registerServiceDisco(env: MucEnv): void {
  const { ctx } = env;
  ctx.addIdentity({ category: "conference", type: "text", name: "Chatrooms" });
  ctx.addFeature(MUC_NS.MUC);
  ctx.addFeature(MUC_NS.SELF_PING);
  ctx.hook<DiscoItemsEvent>(DISCO_ITEMS_EVENT, (ev) => {
    // Service administrators (§5.2) see every room, hidden and locked ones included.
    const admin = env.isServiceAdmin(ev.from);
    for (const room of env.rooms.all()) {
      // §6.3: only public rooms are listed; a room still waiting for configuration is not yet a room.
      if (admin || (room.config.public && !room.locked)) ev.items.push({ jid: room.jid, name: roomName(room) });
    }
    return undefined;
  });
}

function roomName(room: MucRoom): string {
  return room.config.name !== "" ? room.config.name : room.jid.slice(0, room.jid.indexOf("@"));
}

export function onRoomDiscoInfo(env: MucEnv, req: IqRequest): Element | StanzaError {
  const room = env.rooms.get(req.to.local);
  if (!room || (room.locked && room.affiliation(req.from.bare().toString()) !== "owner" && !env.isServiceAdmin(req.from))) return new StanzaError("item-not-found", "No such room");
  if (req.payload.attrs.node !== undefined) return new StanzaError("item-not-found");
  const features = [MUC_NS.MUC, MUC_NS.SELF_PING, MUC_NS.STABLE_ID, NS.DISCO_INFO, ...configFeatures(room.config)].sort();
  const field = (name: string, value: string, label?: string) => x("field", { var: name, label }, x("value", {}, value));
  return x(
    "query",
    { xmlns: NS.DISCO_INFO },
    x("identity", { category: "conference", type: "text", name: roomName(room) }),
    features.map((f) => x("feature", { var: f })),
    x(
      "x",
      { xmlns: NS.DATA_FORMS, type: "result" },
      x("field", { var: "FORM_TYPE", type: "hidden" }, x("value", {}, MUC_NS.ROOMINFO)),
      field("muc#roominfo_description", room.config.description, "Description"),
      field("muc#roominfo_occupants", String(room.occupants.size), "Number of occupants"),
      field("muc#roominfo_subject", room.subject?.text ?? "", "Subject"),
      field("muc#roominfo_subjectmod", room.config.changeSubject ? "1" : "0", "Occupants may change the subject"),
      field("muc#roomconfig_roomname", room.config.name, "Title"),
    ),
  );
}

export function onRoomDiscoItems(env: MucEnv, req: IqRequest): Element | StanzaError {
  const room = env.rooms.get(req.to.local);
  if (!room) return new StanzaError("item-not-found", "No such room");
  return x("query", { xmlns: NS.DISCO_ITEMS });
}
