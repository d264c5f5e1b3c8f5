import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, loginError } from "../helpers/client.js";
import { RawPeer } from "../helpers/raw.js";
import { ScramClient } from "../helpers/scram-client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

describe("c2s login", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    t.addUser("alice", "wonderland");
  });
  after(() => t.stop());

  test("STARTTLS then SCRAM-SHA-1 logs in and binds a resource", async () => {
    const c = await connect({ port: t.port, username: "alice", password: "wonderland", resource: "laptop", mechanism: "SCRAM-SHA-1" });
    assert.equal(c.jid, "alice@localhost/laptop");
    await c.stop();
  });

  test("direct TLS (XEP-0368) logs in", async () => {
    const c = await connect({ port: t.tlsPort, directTls: true, username: "alice", password: "wonderland" });
    assert.match(c.jid, /^alice@localhost\/.+/);
    await c.stop();
  });

  test("PLAIN is accepted over TLS", async () => {
    const c = await connect({ port: t.port, username: "alice", password: "wonderland", mechanism: "PLAIN" });
    assert.match(c.jid, /^alice@localhost\//);
    await c.stop();
  });

  test("a wrong password is refused with not-authorized", async () => {
    const err = await loginError({ port: t.port, username: "alice", password: "nope", mechanism: "SCRAM-SHA-1" });
    assert.equal((err as { condition?: string }).condition, "not-authorized");
  });

  test("an unknown user is refused with not-authorized", async () => {
    const err = await loginError({ port: t.port, username: "nobody", password: "x", mechanism: "SCRAM-SHA-1" });
    assert.equal((err as { condition?: string }).condition, "not-authorized");
  });

  test("SCRAM-SHA-256 logs in over direct TLS and the server signature verifies", async () => {
    const peer = await RawPeer.connect(t.tlsPort, { tls: true });
    try {
      peer.open();
      const features = await peer.until("</stream:features>", "stream features");
      assert.match(features, /<mechanism>SCRAM-SHA-256<\/mechanism>/);
      const scram = new ScramClient("sha256", "alice", "wonderland");
      peer.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>${Buffer.from(scram.first()).toString("base64")}</auth>`);
      const challenge = /<challenge[^>]*>([^<]+)<\/challenge>/.exec(await peer.until("</challenge>", "SCRAM challenge"))![1]!;
      peer.clear();
      peer.write(`<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${Buffer.from(scram.final(Buffer.from(challenge, "base64").toString())).toString("base64")}</response>`);
      const success = /<success[^>]*>([^<]*)<\/success>/.exec(await peer.until("</success>", "SASL success"))![1]!;
      assert.ok(scram.verify(Buffer.from(success, "base64").toString()), "server signature must verify");
    } finally {
      peer.destroy();
    }
  });

  test("authentication before TLS is refused and mechanisms are not offered in plaintext", async () => {
    const peer = await RawPeer.connect(t.port);
    try {
      peer.open();
      const features = await peer.until("</stream:features>", "stream features");
      assert.match(features, /<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required\/><\/starttls>/);
      assert.doesNotMatch(features, /<mechanisms/);
      peer.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from("\0alice\0wonderland").toString("base64")}</auth>`);
      const reply = await peer.until("</failure>", "SASL failure");
      assert.match(reply, /<encryption-required\/>/);
      assert.doesNotMatch(reply, /<success/);
    } finally {
      peer.destroy();
    }
  });

  test("STARTTLS on a raw socket restarts the stream and then offers SASL", async () => {
    const peer = await RawPeer.connect(t.port);
    try {
      peer.open();
      await peer.until("</stream:features>", "stream features");
      peer.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
      await peer.until("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", "proceed");
      await peer.startTls();
      peer.open();
      const features = await peer.until("</stream:features>", "features after TLS");
      assert.match(features, /<mechanism>SCRAM-SHA-1<\/mechanism>/);
      assert.match(features, /<mechanism>PLAIN<\/mechanism>/);
      assert.doesNotMatch(features, /<starttls/);
    } finally {
      peer.destroy();
    }
  });
});
