// What DNS should contain, derived from the configuration.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../../src/config/load.js";
import { dnsPlan } from "../../../src/doctor/dns/plan.js";

const config = (flags: Record<string, unknown> = {}) => loadConfig({ env: {}, flags: { domain: "example.com", dataDir: "/nonexistent/chatctl", ...flags } });

test("by default the client records are expected on the listener ports, and proxy/upload must resolve for users", () => {
  const plan = dnsPlan(config());
  assert.deepEqual(plan.srv.map((e) => [e.name, e.port]), [["_xmpp-client._tcp.example.com", 5222], ["_xmpps-client._tcp.example.com", 5223]]);
  assert.deepEqual(plan.services.filter((s) => s.reach === "direct").map((s) => s.name), ["proxy.example.com", "upload.example.com"]);
  assert.equal(plan.s2sPort, undefined);
  assert.equal(plan.publicDomain, true);
});

test("a disabled listener, or one on port 0, is expected to have no record, and says why", () => {
  const plan = dnsPlan(config({ "listeners.c2sDirectTls.enabled": false, "listeners.c2s.port": 0 }));
  assert.deepEqual(plan.srv.map((e) => e.notServed), ["listeners.c2s.port is 0 (a random port at every start)", "listeners.c2sDirectTls.enabled is false"]);
  // With STARTTLS unusable, a missing _xmpps-client record would lock everyone out.
  assert.equal(plan.srv[1]!.missing.status, "fail");
});

test("with an S2S port, every name remote servers reach needs _xmpp-server; disabled services are left out", () => {
  const plan = dnsPlan(config({ "services.pubsub": false }), { s2sPort: 5269 });
  const server = plan.srv.filter((e) => e.service === "xmpp-server").map((e) => e.owner);
  assert.deepEqual(server, ["example.com", "conference.example.com", "proxy.example.com", "upload.example.com"]);
  assert.equal(plan.srv.find((e) => e.service === "xmpps-server")?.port, undefined);
});
