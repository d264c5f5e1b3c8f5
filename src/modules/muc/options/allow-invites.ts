// muc#roomconfig_allowinvites (§10.2, §7.8): participants, not only admins, may invite others.
import { booleanOption } from "./option.js";

export const allowInvitesOption = booleanOption("allowInvites", "muc#roomconfig_allowinvites", "Allow participants to invite others");
