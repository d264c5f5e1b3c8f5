// muc#roomconfig_maxusers (§10.2, §7.2.10): how many may be in the room at once (0: no limit).
import type { RoomOption } from "./option.js";

const CHOICES = ["10", "20", "30", "50", "100", "0"];

export const maxOccupantsOption: RoomOption = {
  field: {
    var: "muc#roomconfig_maxusers",
    type: "list-single",
    label: "Maximum number of occupants",
    options: CHOICES.map((v) => ({ label: v === "0" ? "No limit" : v, value: v })),
  },
  read: (c) => [String(c.maxOccupants)],
  write: (c, values) => {
    const v = values[0] ?? "0";
    if (v === "none") {
      c.maxOccupants = 0;
      return undefined;
    }
    if (!/^\d{1,6}$/.test(v)) return "muc#roomconfig_maxusers must be a number";
    c.maxOccupants = Number(v);
    return undefined;
  },
};
