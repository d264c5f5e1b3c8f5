// Software Version (XEP-0092) of the server. The OS is only revealed when configured.
import { readFileSync } from "node:fs";
import os from "node:os";
import type { ServerModule } from "../../server/module-api.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";

const pkg = JSON.parse(readFileSync(new URL("../../../../package.json", import.meta.url), "utf8")) as { version: string };

export const versionModule: ServerModule = {
  name: "version",
  setup(ctx) {
    ctx.addFeature(NS.VERSION);
    ctx.iq("get", "host", NS.VERSION, "query", () =>
      x(
        "query",
        { xmlns: NS.VERSION },
        x("name", null, ctx.config.server.name),
        x("version", null, pkg.version),
        ctx.config.server.revealOs ? x("os", null, `${os.type()} ${os.release()}`) : undefined,
      ),
    );
  },
};
