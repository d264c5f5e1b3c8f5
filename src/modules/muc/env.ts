// What every MUC file shares: the module context, the options, the room registry, the rooms'
// archive and who administers the service.
import type { ModuleContext } from "../../server/module-api.js";
import type { Room } from "../../services/muc-room.js";
import type { Element } from "../../xml/element.js";
import type { RoomArchive } from "./archive.js";
import type { MucOptions } from "./options.js";
import type { RoomRegistry } from "./rooms.js";
import type { ServiceAdminCheck } from "./service-admin.js";

/** A room whose session payloads are presence stanzas and whose history holds message stanzas. */
export type MucRoom = Room<Element, Element>;

export interface MucEnv {
  readonly ctx: ModuleContext;
  readonly options: MucOptions;
  readonly rooms: RoomRegistry;
  /** The rooms' message archive (XEP-0313 on the room JID). */
  readonly archive: RoomArchive;
  /** XEP-0045 §5.2 service administrators: owner rights in every room. */
  readonly isServiceAdmin: ServiceAdminCheck;
}
