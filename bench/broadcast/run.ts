// Broadcast benchmark: N connected clients (default 5,000) on an in-process chatctl server, one
// XEP-0133 announcement through the local admin socket. Reports how long until every client had
// it and the server's worst event-loop delay meanwhile (what batching bounds). Never part of
// `npm test`; numbers are printed, not asserted.
//   node dist/bench/broadcast/run.js [--clients 5000] [--concurrency 200]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { LocalAdminClient } from "../../src/admin/local.js";
import { loadConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/log/logger.js";
import { adhocModule } from "../../src/modules/adhoc/index.js";
import { adminAdhocModule } from "../../src/modules/admin-adhoc/index.js";
import { createAdminSocketModule } from "../../src/modules/admin-adhoc/socket.js";
import { announceModule } from "../../src/modules/announce/index.js";
import { startServer } from "../../src/server/index.js";
import { coreModules } from "../../src/server/modules.js";
import { adminSocketPath } from "../../src/services/admins.js";
import { XmppConnection } from "../lib/xmpp.js";

const { values } = parseArgs({ options: { clients: { type: "string", default: "5000" }, concurrency: { type: "string", default: "200" } } });
const clients = Number(values.clients);
const concurrency = Number(values.concurrency);

const dataDir = mkdtempSync(join(tmpdir(), "chatctl-bench-broadcast-"));
const config = loadConfig({
  env: {},
  flags: {
    dataDir,
    domain: "localhost",
    "listeners.c2s.addresses": ["127.0.0.1"],
    "listeners.c2s.port": 0,
    "listeners.c2sDirectTls.addresses": ["127.0.0.1"],
    "listeners.c2sDirectTls.port": 0,
    "log.level": "warn",
    "auth.scramIterations": 4096,
    "c2s.maxConnections": clients + 10,
  },
});
const server = await startServer(config, createLogger({ level: "warn", format: "json" }), {
  modules: [...coreModules, adhocModule, adminAdhocModule, announceModule, createAdminSocketModule()],
});
const port = server.addresses().c2s[0]!.port;
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";

try {
  let t = performance.now();
  for (let i = 0; i < clients; i++) server.host.auth.createUser(`u${i}`, "pw");
  console.log(`created ${clients} accounts in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  t = performance.now();
  const conns: XmppConnection[] = [];
  let received = 0;
  let allReceived: () => void = () => {};
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  for (let i = 0; i < clients; i += concurrency) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(concurrency, clients - i) }, (_, k) =>
        XmppConnection.login({ host: "127.0.0.1", port, domain: "localhost" }, { user: `u${i + k}`, password: "pw", resource: "bench", presence: "<presence/>", timeoutMs: 60_000 }),
      ),
    );
    for (const c of batch) {
      c.onStanza = (el) => {
        if (el.name === "message" && el.xml.includes("bench announcement") && ++received === clients) allReceived();
      };
    }
    conns.push(...batch);
  }
  console.log(`logged in ${conns.length} clients in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const admin = await LocalAdminClient.connect(adminSocketPath(dataDir), "localhost");
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  t = performance.now();
  const result = await admin.run("http://jabber.org/protocol/admin#announce", { announcement: "bench announcement" });
  const answered = performance.now() - t;
  await done;
  const delivered = performance.now() - t;
  lag.disable();
  console.log(`announcement: recipients=${result.fields.get("recipients")?.values[0]} command answered in ${answered.toFixed(0)} ms, all ${received} clients had it after ${delivered.toFixed(0)} ms`);
  console.log(`event-loop delay during the broadcast: p50 ${(lag.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`);
  await admin.close();
  await Promise.all(conns.map((c) => c.close(200)));
} finally {
  await server.close("bench finished");
  rmSync(dataDir, { recursive: true, force: true });
}
