// muc#roomconfig_membersonly (§10.2): only members (and admins, owners) may enter (§7.2.6
// registration-required for anyone else).
import { booleanOption } from "./option.js";

export const membersOnlyOption = booleanOption("membersOnly", "muc#roomconfig_membersonly", "Members only", ["muc_membersonly", "muc_open"]);
