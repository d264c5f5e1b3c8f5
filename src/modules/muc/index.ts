// Multi-user chat (XEP-0045) on a component host (conference.<domain>). This file only wires the
// concerns together: presence (join, leave, nick change), messages, the owner and admin IQs,
// disco, self-ping (XEP-0410), IQs between occupants and the rooms' archive (XEP-0313, mam.ts).
// The room model lives in services/muc-room.ts; each configuration option in options/.
import type { StanzaEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import type { ServerModule } from "../../server/module-api.js";
import { NS } from "../../xml/ns.js";
import { onAdminGet, onAdminSet } from "./admin.js";
import { onRoomDiscoInfo, onRoomDiscoItems, registerServiceDisco } from "./disco.js";
import type { MucEnv } from "./env.js";
import { onOccupantMessage, onRoomMessage } from "./messages.js";
import { MUC_NS } from "./ns.js";
import { mucOptions } from "./options.js";
import { onOwnerGet, onOwnerSet } from "./owner.js";
import { onOccupantPresence, onRoomPresence } from "./presence.js";
import { IqRelay } from "./iq-relay.js";
import { ROOM_STORE, RoomRegistry } from "./rooms.js";
import { RoomArchive } from "./archive.js";
import { registerRoomArchiveQueries } from "./mam.js";
import { serviceAdmins } from "./service-admin.js";

export const mucModule: ServerModule = {
  name: "muc",
  setup(ctx) {
    const options = mucOptions(ctx.config);
    const archive = new RoomArchive(ctx);
    // A room that stops existing takes its archive with it (XEP-0045 §10.9 destroy, §7.14 a
    // temporary room's last occupant leaving): a later room of the same name starts empty.
    const rooms = new RoomRegistry(ctx.host, ctx.keyval(ROOM_STORE), { historyLength: options.historyLength, archiving: options.archiveByDefault }, (name) => {
      archive.deleteRoom(name);
    });
    const loaded = rooms.loadPersistent();
    if (loaded > 0) ctx.log.info({ rooms: loaded }, "persistent rooms loaded");
    const env: MucEnv = { ctx, options, rooms, archive, isServiceAdmin: serviceAdmins(ctx) };

    registerServiceDisco(env);

    ctx.hook<StanzaEvent>("presence/full", (ev) => onOccupantPresence(env, ev), Priority.DEFAULT);
    ctx.hook<StanzaEvent>("presence/bare", (ev) => onRoomPresence(env, ev), Priority.DEFAULT);
    ctx.hook<StanzaEvent>("presence/host", () => true, Priority.DEFAULT);
    ctx.hook<StanzaEvent>("message/bare", (ev) => onRoomMessage(env, ev), Priority.DEFAULT);
    ctx.hook<StanzaEvent>("message/full", (ev) => onOccupantMessage(env, ev), Priority.DEFAULT);
    // Before the generic IQ module, which would look for a client session with this resource.
    const relay = new IqRelay(env);
    ctx.hook<StanzaEvent>("iq/full", (ev) => relay.onOccupantIq(ev), Priority.FILTER);

    ctx.iq("get", "bare", MUC_NS.OWNER, "query", (req) => onOwnerGet(env, req));
    ctx.iq("set", "bare", MUC_NS.OWNER, "query", (req) => onOwnerSet(env, req));
    ctx.iq("get", "bare", MUC_NS.ADMIN, "query", (req) => onAdminGet(env, req));
    ctx.iq("set", "bare", MUC_NS.ADMIN, "query", (req) => onAdminSet(env, req));
    ctx.iq("get", "bare", NS.DISCO_INFO, "query", (req) => onRoomDiscoInfo(env, req));
    ctx.iq("get", "bare", NS.DISCO_ITEMS, "query", (req) => onRoomDiscoItems(env, req));
    registerRoomArchiveQueries(env);
  },
};
