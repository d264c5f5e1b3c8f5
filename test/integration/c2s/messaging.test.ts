import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, xml } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

describe("messages and IQs between clients", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    t.addUser("romeo", "montague");
    t.addUser("juliet", "capulet");
  });
  after(() => t.stop());

  test("a chat message with non-ASCII text arrives intact at the recipient's full JID and bare JID", async () => {
    const romeo = await connect({ port: t.port, username: "romeo", password: "montague", resource: "orchard" });
    const juliet = await connect({ port: t.port, username: "juliet", password: "capulet", resource: "balcony" });
    try {
      const text = "Ô Juliette — 日本語 😀 ½";
      await romeo.send(xml("message", { to: "juliet@localhost/balcony", type: "chat", id: "m1" }, xml("body", {}, text)));
      const full = await juliet.waitFor((el) => el.is("message") && el.attrs.id === "m1", "message to full JID");
      assert.equal(full.getChildText("body"), text);
      assert.equal(full.attrs.from, "romeo@localhost/orchard");

      await romeo.send(xml("message", { to: "juliet@localhost", type: "chat", id: "m2" }, xml("body", {}, text + "!")));
      const bare = await juliet.waitFor((el) => el.is("message") && el.attrs.id === "m2", "message to bare JID");
      assert.equal(bare.getChildText("body"), text + "!");
    } finally {
      await romeo.stop();
      await juliet.stop();
    }
  });

  test("an IQ with an unknown payload is answered with service-unavailable", async () => {
    const romeo = await connect({ port: t.port, username: "romeo", password: "montague" });
    try {
      await assert.rejects(
        romeo.iq(xml("iq", { type: "get", to: "localhost" }, xml("query", { xmlns: "urn:example:unknown" }))),
        (err: { condition?: string }) => err.condition === "service-unavailable",
      );
    } finally {
      await romeo.stop();
    }
  });

  test("a message to an account that does not exist bounces with service-unavailable", async () => {
    const romeo = await connect({ port: t.port, username: "romeo", password: "montague" });
    try {
      await romeo.send(xml("message", { to: "nobody@localhost", type: "chat", id: "x1" }, xml("body", {}, "hi")));
      const err = await romeo.waitFor((el) => el.is("message") && el.attrs.type === "error" && el.attrs.id === "x1", "error bounce");
      assert.ok(err.getChild("error")?.getChild("service-unavailable"));
    } finally {
      await romeo.stop();
    }
  });

  test("a message to an unknown domain bounces with remote-server-not-found", async () => {
    const romeo = await connect({ port: t.port, username: "romeo", password: "montague" });
    try {
      await romeo.send(xml("message", { to: "someone@unknown.invalid", type: "chat", id: "x2" }, xml("body", {}, "hi")));
      const err = await romeo.waitFor((el) => el.is("message") && el.attrs.type === "error" && el.attrs.id === "x2", "error bounce");
      assert.ok(err.getChild("error")?.getChild("remote-server-not-found"));
    } finally {
      await romeo.stop();
    }
  });

  test("server IQs answer: ping, version, time, disco#info with caps features", async () => {
    const romeo = await connect({ port: t.port, username: "romeo", password: "montague" });
    try {
      await romeo.iq(xml("iq", { type: "get", to: "localhost" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
      const version = await romeo.iq(xml("iq", { type: "get", to: "localhost" }, xml("query", { xmlns: "jabber:iq:version" })));
      assert.equal(version.getChild("query")?.getChildText("name"), "chatctl");
      const time = await romeo.iq(xml("iq", { type: "get", to: "localhost" }, xml("time", { xmlns: "urn:xmpp:time" })));
      assert.match(time.getChild("time")?.getChildText("utc") ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const info = await romeo.iq(xml("iq", { type: "get", to: "localhost" }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
      const features = info.getChild("query")!.getChildren("feature").map((f) => f.attrs.var as string);
      for (const f of ["urn:xmpp:ping", "jabber:iq:version", "urn:xmpp:time", "vcard-temp", "jabber:iq:private", "jabber:iq:last"]) {
        assert.ok(features.includes(f), `disco#info lists ${f}`);
      }
      assert.ok(info.getChild("query")!.getChildren("identity").some((i) => i.attrs.category === "server" && i.attrs.type === "im"));
    } finally {
      await romeo.stop();
    }
  });

  test("vCard and private XML storage round-trip for the account", async () => {
    const romeo = await connect({ port: t.port, username: "romeo", password: "montague" });
    try {
      await romeo.iq(xml("iq", { type: "set" }, xml("vCard", { xmlns: "vcard-temp" }, xml("FN", {}, "Romeo Montague"))));
      const juliet = await connect({ port: t.port, username: "juliet", password: "capulet" });
      const vcard = await juliet.iq(xml("iq", { type: "get", to: "romeo@localhost" }, xml("vCard", { xmlns: "vcard-temp" })));
      assert.equal(vcard.getChild("vCard")?.getChildText("FN"), "Romeo Montague");
      await juliet.stop();

      await romeo.iq(xml("iq", { type: "set" }, xml("query", { xmlns: "jabber:iq:private" }, xml("prefs", { xmlns: "urn:example:prefs" }, xml("colour", {}, "red")))));
      const priv = await romeo.iq(xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:private" }, xml("prefs", { xmlns: "urn:example:prefs" }))));
      assert.equal(priv.getChild("query")?.getChild("prefs")?.getChildText("colour"), "red");
    } finally {
      await romeo.stop();
    }
  });
});
