// Entity Time (XEP-0202): the server's UTC time and its offset (XEP-0082 formats).
import type { ServerModule } from "../../server/module-api.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";

export const timeModule: ServerModule = {
  name: "time",
  setup(ctx) {
    ctx.addFeature(NS.TIME);
    ctx.iq("get", "host", NS.TIME, "time", () => {
      const now = new Date();
      return x("time", { xmlns: NS.TIME }, x("tzo", null, tzo(now)), x("utc", null, now.toISOString().replace(/\.\d{3}Z$/, "Z")));
    });
  },
};

/** "+01:00" style offset; getTimezoneOffset is minutes *behind* UTC. */
export function tzo(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  const abs = Math.abs(off);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
