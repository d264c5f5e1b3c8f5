// muc#roomconfig_roomdesc: a short description (muc#roominfo_description in disco, §6.4).
import { textOption } from "./option.js";

export const descriptionOption = textOption("description", "muc#roomconfig_roomdesc", "Description");
