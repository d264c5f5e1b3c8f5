// muc#roomconfig_persistentroom (§10.2): the room outlives its last occupant and a restart.
import { booleanOption } from "./option.js";

export const persistentOption = booleanOption("persistent", "muc#roomconfig_persistentroom", "Persistent (kept when empty)", ["muc_persistent", "muc_temporary"]);
