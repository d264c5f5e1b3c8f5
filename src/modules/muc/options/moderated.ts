// muc#roomconfig_moderatedroom (§10.2): unaffiliated occupants enter as visitors without voice.
import { booleanOption } from "./option.js";

export const moderatedOption = booleanOption("moderated", "muc#roomconfig_moderatedroom", "Moderated (only participants with voice may talk)", ["muc_moderated", "muc_unmoderated"]);
