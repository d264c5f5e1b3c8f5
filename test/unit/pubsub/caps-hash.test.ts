// XEP-0115 §5 verification strings, checked against the XEP's own examples (§5.2 simple, §5.3
// complex with an extended-information form), and the §5.4 rules that reject a result.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { capsVer } from "../../../src/modules/pep/caps-hash.js";
import { notifyNodes } from "../../../src/modules/pep/caps.js";
import { x } from "../../../src/xml/element.js";

const feature = (v: string) => x("feature", { var: v });
const BASE = ["http://jabber.org/protocol/caps", "http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/muc"];

describe("entity capabilities hash (XEP-0115)", () => {
  test("the simple generation example (§5.2)", () => {
    const q = x("query", { xmlns: "http://jabber.org/protocol/disco#info" }, x("identity", { category: "client", type: "pc", name: "Exodus 0.9.1" }), BASE.map(feature));
    assert.equal(capsVer(q, "sha-1"), "QgayPKawpkPSDYmwT/WM94uAlu0=");
  });

  test("the complex generation example with xml:lang identities and a form (§5.3)", () => {
    const field = (v: string, ...values: string[]) => x("field", { var: v }, values.map((s) => x("value", {}, s)));
    const q = x(
      "query",
      { xmlns: "http://jabber.org/protocol/disco#info" },
      x("identity", { "xml:lang": "en", category: "client", name: "Psi 0.11", type: "pc" }),
      x("identity", { "xml:lang": "el", category: "client", name: "Ψ 0.11", type: "pc" }),
      [...BASE].reverse().map(feature),
      x(
        "x",
        { xmlns: "jabber:x:data", type: "result" },
        x("field", { var: "FORM_TYPE", type: "hidden" }, x("value", {}, "urn:xmpp:dataforms:softwareinfo")),
        field("ip_version", "ipv4", "ipv6"),
        field("os", "Mac"),
        field("os_version", "10.5.1"),
        field("software", "Psi"),
        field("software_version", "0.11"),
      ),
    );
    assert.equal(capsVer(q, "sha-1"), "q07IKJEyjvHSyhy//CH0CxmKi8w=");
  });

  test("duplicate features or an unknown hash give no verification string (§5.4)", () => {
    const dup = x("query", {}, x("identity", { category: "client", type: "pc" }), feature("a"), feature("a"));
    assert.equal(capsVer(dup, "sha-1"), undefined);
    assert.equal(capsVer(x("query", {}, feature("a")), "md4"), undefined);
  });

  test("+notify features name the nodes a client wants", () => {
    const q = x("query", {}, feature("urn:xmpp:avatar:metadata+notify"), feature("urn:xmpp:avatar:metadata"), feature("eu.siacs.conversations.axolotl.devicelist+notify"));
    assert.deepEqual(notifyNodes(q), ["urn:xmpp:avatar:metadata", "eu.siacs.conversations.axolotl.devicelist"]);
  });
});
