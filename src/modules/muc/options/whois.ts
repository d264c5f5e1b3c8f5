// muc#roomconfig_whois (§10.2): who sees occupants' real JIDs — moderators (semi-anonymous room)
// or anyone (non-anonymous room, status 100 on join).
import type { RoomOption } from "./option.js";

export const whoisOption: RoomOption = {
  field: {
    var: "muc#roomconfig_whois",
    type: "list-single",
    label: "Who may discover real JIDs",
    options: [
      { label: "Moderators only", value: "moderators" },
      { label: "Anyone", value: "anyone" },
    ],
  },
  read: (c) => [c.whois],
  write: (c, values) => {
    const v = values[0];
    if (v !== "moderators" && v !== "anyone") return "muc#roomconfig_whois must be moderators or anyone";
    c.whois = v;
    return undefined;
  },
  features: (c) => [c.whois === "anyone" ? "muc_nonanonymous" : "muc_semianonymous"],
};
