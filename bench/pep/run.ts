// PEP publish benchmark: the cost of one server-side publish (the path a client publish takes
// too, minus the socket) on an in-process chatctl server with SQLite, as the owner's roster grows
// and as the number of OTHER accounts with rosters grows. The first should cost roughly linear
// time (the owner's contacts are checked), the second nothing (no scan of other accounts).
// Contacts are offline, so no notification is serialised: this isolates recipient computation
// and storage. Never part of `npm test`; numbers are printed, not asserted.
//   node dist/bench/pep/run.js [--publishes 2000]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { loadConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/log/logger.js";
import { pepPublish } from "../../src/modules/pep/api.js";
import { startServer } from "../../src/server/index.js";
import { ROSTER_STORE } from "../../src/services/roster.js";
import { x } from "../../src/xml/element.js";

const { values } = parseArgs({ options: { publishes: { type: "string", default: "2000" } } });
const publishes = Number(values.publishes);

async function measure(contacts: number, otherAccounts: number): Promise<{ perSecond: number; usPerPublish: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), "chatctl-bench-pep-"));
  const config = loadConfig({ env: {}, flags: { dataDir, "listeners.c2s.port": 0, "listeners.c2sDirectTls.port": 0, "listeners.c2s.addresses": ["127.0.0.1"], "listeners.c2sDirectTls.addresses": ["127.0.0.1"], "log.level": "silent", "log.format": "json", "services.proxy": false, "services.upload": false } });
  const server = await startServer(config, createLogger({ level: "silent", format: "json" }));
  try {
    const host = server.host;
    host.auth.createUser("owner", "pw");
    const roster = host.storage.map(host.domain, ROSTER_STORE);
    host.storage.transaction(() => {
      for (let i = 0; i < contacts; i++) roster.set("owner", `c${i}@${host.domain}`, { subscription: "both", groups: [] });
      for (let u = 0; u < otherAccounts; u++) for (let i = 0; i < 20; i++) roster.set(`other${u}`, `c${i}@${host.domain}`, { subscription: "both", groups: [] });
    });
    const payload = x("geoloc", { xmlns: "http://jabber.org/protocol/geoloc" }, x("lat", {}, "45.44"), x("lon", {}, "12.33"));
    // Warm up (node creation, prepared statements).
    for (let i = 0; i < 50; i++) pepPublish(host.bus, { username: "owner", node: "http://jabber.org/protocol/geoloc", payload });
    const start = performance.now();
    for (let i = 0; i < publishes; i++) {
      const r = pepPublish(host.bus, { username: "owner", node: "http://jabber.org/protocol/geoloc", payload });
      if (!r.ok) throw new Error(`publish failed: ${r.error.condition}`);
    }
    const ms = performance.now() - start;
    return { perSecond: Math.round((publishes / ms) * 1000), usPerPublish: Math.round((ms * 1000) / publishes) };
  } finally {
    await server.close("bench finished");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows: string[] = ["| owner's contacts | other accounts (20 contacts each) | publishes/s | µs/publish |", "|---:|---:|---:|---:|"];
for (const [contacts, others] of [[10, 0], [1000, 0], [10, 10_000], [1000, 10_000]] as const) {
  const r = await measure(contacts, others);
  rows.push(`| ${contacts} | ${others} | ${r.perSecond} | ${r.usPerPublish} |`);
}
console.log(rows.join("\n"));
