// muc#roomconfig_enablearchiving: the room's messages are archived (status 170 on join, §7.2.12).
// The flag is kept; a room archive (MUC MAM) is not implemented yet.
import { booleanOption } from "./option.js";

export const archivingOption = booleanOption("archiving", "muc#roomconfig_enablearchiving", "Archive the discussion");
