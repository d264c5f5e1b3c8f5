// muc#roomconfig_enablearchiving: the room's messages are archived (status 170 on join, §7.2.12).
// When on, the room's groupchat messages go to its archive (../archive.ts), queried with XEP-0313
// on the room JID (../mam.ts), and the room advertises the archive in its disco#info (XEP-0313 §7:
// an archiving JID lists urn:xmpp:mam:2 and #extended). New rooms take muc.archiveByDefault.
import { ARCHIVE_NS } from "../../mam/ns.js";
import { booleanOption, type RoomOption } from "./option.js";

const flag = booleanOption("archiving", "muc#roomconfig_enablearchiving", "Archive the discussion");

export const archivingOption: RoomOption = {
  ...flag,
  features: (c) => (c.archiving ? [ARCHIVE_NS.MAM, ARCHIVE_NS.MAM_EXTENDED] : []),
};
