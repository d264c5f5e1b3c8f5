// muc#roomconfig_roomname: the room's natural-language name (disco identity, room lists).
import { textOption } from "./option.js";

export const nameOption = textOption("name", "muc#roomconfig_roomname", "Title");
