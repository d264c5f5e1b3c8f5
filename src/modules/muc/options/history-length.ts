// muc#maxhistoryfetch (§15.5.3): how many messages of discussion history the room keeps, bounded
// by the service's muc.maxHistoryLength so memory stays bounded.
import type { RoomOption } from "./option.js";

export const historyLengthOption: RoomOption = {
  field: { var: "muc#maxhistoryfetch", type: "text-single", label: "Messages of history kept for new occupants" },
  read: (c) => [String(c.historyLength)],
  write: (c, values, limits) => {
    const v = values[0] ?? "";
    if (!/^\d{1,6}$/.test(v)) return "muc#maxhistoryfetch must be a number";
    c.historyLength = Math.min(Number(v), limits.maxHistoryLength);
    return undefined;
  },
};
