// STARTTLS (RFC 6120 §5). Offers <starttls/> (required unless the config allows plaintext
// authentication) and upgrades the transport on request.
import type { NonzaEvent, StreamFeaturesEvent } from "../../router/events.js";
import type { ServerModule } from "../../server/module-api.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";

export const tlsModule: ServerModule = {
  name: "tls",
  setup(ctx) {
    const required = ctx.config.c2s.requireEncryption;
    ctx.hook<StreamFeaturesEvent>("stream-features", ({ session, features }) => {
      if (!session.canStartTls) return;
      features.append(x("starttls", { xmlns: NS.TLS }, required ? x("required") : undefined));
    });
    ctx.hook<NonzaEvent>(`stanza/${NS.TLS}:starttls`, ({ session }) => {
      if (!session.canStartTls) {
        // RFC 6120 §5.4.2.2: failure, then the stream is closed.
        session.send(x("failure", { xmlns: NS.TLS }));
        session.close();
        return true;
      }
      session.send(x("proceed", { xmlns: NS.TLS }));
      session.startTls();
      return true;
    });
  },
};
