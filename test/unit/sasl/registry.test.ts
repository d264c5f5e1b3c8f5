import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultMechanisms, offeredMechanisms, selectMechanism } from "../../../src/sasl/registry.js";
import { availableChannelBindings } from "../../../src/sasl/types.js";
import { context, FixedProvider } from "./fixtures.js";

const provider = new FixedProvider({});
const cb = { "tls-exporter": Buffer.from("x".repeat(32)), "tls-server-end-point": Buffer.from("y".repeat(32)) };

test("with TLS and channel binding data every mechanism is offered, strongest first", () => {
  assert.deepEqual(offeredMechanisms(defaultMechanisms(), context(provider, { channelBindings: cb })), [
    "SCRAM-SHA-256-PLUS",
    "SCRAM-SHA-1-PLUS",
    "SCRAM-SHA-256",
    "SCRAM-SHA-1",
    "PLAIN",
  ]);
});

test("with TLS but no channel binding data the -PLUS mechanisms are not offered", () => {
  assert.deepEqual(offeredMechanisms(defaultMechanisms(), context(provider)), ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"]);
  assert.deepEqual(offeredMechanisms(defaultMechanisms(), context(provider, { channelBindings: { "tls-exporter": Buffer.alloc(0) } })), [
    "SCRAM-SHA-256",
    "SCRAM-SHA-1",
    "PLAIN",
  ]);
});

test("without TLS neither PLAIN nor -PLUS is offered, even if binding data is passed by mistake", () => {
  assert.deepEqual(offeredMechanisms(defaultMechanisms(), context(provider, { secure: false, channelBindings: cb })), ["SCRAM-SHA-256", "SCRAM-SHA-1"]);
});

test("a provider that cannot do SCRAM is offered PLAIN only", () => {
  const bindOnly = Object.assign(new FixedProvider({}), { supportsScram: false });
  assert.deepEqual(offeredMechanisms(defaultMechanisms(), context(bindOnly, { channelBindings: cb })), ["PLAIN"]);
});

test("selectMechanism returns only mechanisms offered on this connection", () => {
  const mechs = defaultMechanisms();
  assert.equal(selectMechanism(mechs, "SCRAM-SHA-1", context(provider))?.name, "SCRAM-SHA-1");
  assert.equal(selectMechanism(mechs, "PLAIN", context(provider, { secure: false })), undefined);
  assert.equal(selectMechanism(mechs, "DIGEST-MD5", context(provider)), undefined);
});

test("channel binding types are listed with tls-exporter (RFC 9266) first", () => {
  assert.deepEqual(availableChannelBindings(context(provider, { channelBindings: { "tls-server-end-point": cb["tls-server-end-point"], "tls-exporter": cb["tls-exporter"] } })), [
    "tls-exporter",
    "tls-server-end-point",
  ]);
});
