// What every MUC file shares: the module context, the options and the room registry.
import type { ModuleContext } from "../../server/module-api.js";
import type { Room } from "../../services/muc-room.js";
import type { Element } from "../../xml/element.js";
import type { MucOptions } from "./options.js";
import type { RoomRegistry } from "./rooms.js";

/** A room whose session payloads are presence stanzas and whose history holds message stanzas. */
export type MucRoom = Room<Element, Element>;

export interface MucEnv {
  readonly ctx: ModuleContext;
  readonly options: MucOptions;
  readonly rooms: RoomRegistry;
}
