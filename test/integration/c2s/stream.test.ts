import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, xml } from "../helpers/client.js";
import { RawPeer } from "../helpers/raw.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

describe("c2s stream layer", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    t.addUser("alice", "wonderland");
  });
  after(() => t.stop());

  test("malformed XML gets a not-well-formed stream error and the stream is closed", async () => {
    const peer = await RawPeer.connect(t.tlsPort, { tls: true });
    peer.open();
    await peer.until("</stream:features>", "features");
    peer.write("<message><body>unclosed</message>");
    const got = await peer.until("</stream:stream>", "stream close");
    assert.match(got, /<stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'\/>/);
    await peer.waitClosed();
  });

  test("a stream header for a domain we do not serve gets host-unknown", async () => {
    const peer = await RawPeer.connect(t.tlsPort, { tls: true });
    peer.open("elsewhere.example");
    const got = await peer.until("</stream:stream>", "stream close");
    assert.match(got, /<stream:stream [^>]*>/);
    assert.match(got, /<host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'\/>/);
    await peer.waitClosed();
  });

  test("a stanza over the pre-authentication size limit gets policy-violation", async () => {
    const peer = await RawPeer.connect(t.tlsPort, { tls: true });
    peer.open();
    await peer.until("</stream:features>", "features");
    peer.write("<message><body>" + "x".repeat(1024 * 1024) + "</body></message>");
    const got = await peer.until("</stream:stream>", "stream close");
    assert.match(got, /<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'\/>/);
    await peer.waitClosed();
  });

  test("a DOCTYPE (billion laughs) is refused with restricted-xml", async () => {
    const peer = await RawPeer.connect(t.tlsPort, { tls: true });
    peer.write(`<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><stream:stream to='localhost' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`);
    const got = await peer.until("</stream:stream>", "stream close");
    assert.match(got, /<restricted-xml xmlns='urn:ietf:params:xml:ns:xmpp-streams'\/>/);
    await peer.waitClosed();
  });

  test("a stanza before authentication gets not-authorized", async () => {
    const peer = await RawPeer.connect(t.tlsPort, { tls: true });
    peer.open();
    await peer.until("</stream:features>", "features");
    peer.write("<message to='alice@localhost'><body>hi</body></message>");
    const got = await peer.until("</stream:stream>", "stream close");
    assert.match(got, /<not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'\/>/);
  });

  test("binding a resource that is in use replaces the old session, which gets <conflict/>", async () => {
    const first = await connect({ port: t.port, username: "alice", password: "wonderland", resource: "phone" });
    const closed = new Promise<string>((resolve) => {
      first.xmpp.on("error", (err: { condition?: string }) => resolve(err.condition ?? String(err)));
    });
    const second = await connect({ port: t.port, username: "alice", password: "wonderland", resource: "phone" });
    try {
      assert.equal(await closed, "conflict");
      assert.equal(second.jid, "alice@localhost/phone");
      await second.iq(xml("iq", { type: "get", to: "localhost" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  test("the legacy session IQ older clients send is accepted", async () => {
    const c = await connect({ port: t.port, username: "alice", password: "wonderland" });
    try {
      await c.iq(xml("iq", { type: "set" }, xml("session", { xmlns: "urn:ietf:params:xml:ns:xmpp-session" })));
    } finally {
      await c.stop();
    }
  });

  test("a multi-byte character split across TCP writes is delivered intact", async () => {
    const c = await connect({ port: t.port, username: "alice", password: "wonderland", resource: "split" });
    const peer = await RawPeer.connect(t.tlsPort, { tls: true });
    try {
      // Authenticate the raw peer with PLAIN, then send a message byte by byte.
      peer.open();
      await peer.until("</stream:features>", "features");
      peer.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from("\0alice\0wonderland").toString("base64")}</auth>`);
      await peer.until("<success", "success");
      peer.clear();
      peer.open();
      await peer.until("</stream:features>", "features after auth");
      peer.write("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>raw</resource></bind></iq>");
      await peer.until("</iq>", "bind result");
      const bytes = Buffer.from("<message to='alice@localhost/split' id='u1'><body>日本😀</body></message>");
      for (let i = 0; i < bytes.length; i++) peer.write(bytes.subarray(i, i + 1));
      const msg = await c.waitFor((el) => el.is("message") && el.attrs.id === "u1", "split message");
      assert.equal(msg.getChildText("body"), "日本😀");
    } finally {
      peer.destroy();
      await c.stop();
    }
  });
});

describe("c2s authentication timeout", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ "c2s.authTimeout": 1 });
  });
  after(() => t.stop());

  test("a stream that never authenticates is closed with connection-timeout", async () => {
    const peer = await RawPeer.connect(t.tlsPort, { tls: true });
    peer.open();
    const got = await peer.until("</stream:stream>", "timeout close", 15000);
    assert.match(got, /<connection-timeout xmlns='urn:ietf:params:xml:ns:xmpp-streams'\/>/);
  });
});

describe("c2s graceful shutdown", () => {
  test("closing the server sends <system-shutdown/> to every connected client", async () => {
    const t = await startTestServer();
    t.addUser("bye", "pw-bye");
    const clients = [
      await connect({ port: t.port, username: "bye", password: "pw-bye", resource: "a" }),
      await connect({ port: t.tlsPort, directTls: true, username: "bye", password: "pw-bye", resource: "b" }),
    ];
    const conditions = clients.map(
      (c) => new Promise<string>((resolve) => c.xmpp.on("error", (err: { condition?: string }) => resolve(err.condition ?? String(err)))),
    );
    await t.stop();
    assert.deepEqual(await Promise.all(conditions), ["system-shutdown", "system-shutdown"]);
    for (const c of clients) await c.stop();
  });
});
