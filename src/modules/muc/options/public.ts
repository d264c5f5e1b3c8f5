// muc#roomconfig_publicroom (§10.2): listed in the service's disco#items (§6.3) or hidden.
import { booleanOption } from "./option.js";

export const publicOption = booleanOption("public", "muc#roomconfig_publicroom", "Listed in the public room directory", ["muc_public", "muc_hidden"]);
