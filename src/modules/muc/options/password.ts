// Password protection (§7.2.5, §10.2): muc#roomconfig_roomsecret sets the password and
// muc#roomconfig_passwordprotectedroom, written after it, can switch protection off again.
import type { RoomOption } from "./option.js";
import { parseBoolean } from "./option.js";

export const roomSecretOption: RoomOption = {
  field: { var: "muc#roomconfig_roomsecret", type: "text-private", label: "Password" },
  read: (c) => [c.password],
  write: (c, values) => {
    c.password = (values[0] ?? "").slice(0, 256);
    return undefined;
  },
};

export const passwordProtectedOption: RoomOption = {
  field: { var: "muc#roomconfig_passwordprotectedroom", type: "boolean", label: "Password protected" },
  read: (c) => [c.password !== "" ? "1" : "0"],
  write: (c, values) => {
    const b = parseBoolean(values);
    if (b === undefined) return "muc#roomconfig_passwordprotectedroom must be a boolean";
    if (!b) c.password = "";
    return undefined;
  },
  features: (c) => [c.password !== "" ? "muc_passwordprotected" : "muc_unsecured"],
};
