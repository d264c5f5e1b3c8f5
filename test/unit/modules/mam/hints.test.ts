// Which messages may be archived and held offline: message types (XEP-0160 §3), content versus
// chat states (XEP-0313 §6.1.1), and the XEP-0334 hints.
import assert from "node:assert/strict";
import { test } from "node:test";
import { storability } from "../../../../src/modules/mam/hints.js";
import { type Element, x } from "../../../../src/xml/element.js";
import { CHATSTATES, HINTS } from "./helpers.js";

function msg(type: string | undefined, ...children: Element[]): Element {
  return x("message", { to: "alice@example.com", type }, children);
}
const body = () => x("body", null, "hi");

test("each message type, content and hint gives the documented storability", () => {
  const cases: Array<[string, Element, { archive: boolean; offline: boolean }]> = [
    ["chat with a body", msg("chat", body()), { archive: true, offline: true }],
    ["normal (no type) with a body", msg(undefined, body()), { archive: true, offline: true }],
    ["a subject only", msg("normal", x("subject", null, "topic")), { archive: true, offline: true }],
    ["headline", msg("headline", body()), { archive: false, offline: false }],
    ["groupchat", msg("groupchat", body()), { archive: false, offline: false }],
    ["error", msg("error", body()), { archive: false, offline: false }],
    ["chat states only", msg("chat", x("composing", { xmlns: CHATSTATES })), { archive: false, offline: false }],
    ["an unknown payload only", msg("chat", x("thing", { xmlns: "urn:example:x" })), { archive: false, offline: false }],
    ["a body in another namespace", msg("chat", x("body", { xmlns: "urn:example:x" })), { archive: false, offline: false }],
    ["<store/> without content", msg("chat", x("store", { xmlns: HINTS })), { archive: true, offline: true }],
    ["<no-store/>", msg("chat", body(), x("no-store", { xmlns: HINTS })), { archive: false, offline: false }],
    ["<no-permanent-store/>", msg("chat", body(), x("no-permanent-store", { xmlns: HINTS })), { archive: false, offline: true }],
    ["<no-store/> beats <store/>", msg("chat", body(), x("store", { xmlns: HINTS }), x("no-store", { xmlns: HINTS })), { archive: false, offline: false }],
    ["OMEMO (legacy) without body", msg("chat", x("encrypted", { xmlns: "eu.siacs.conversations.axolotl" })), { archive: true, offline: true }],
    ["OMEMO 2 without body", msg("chat", x("encrypted", { xmlns: "urn:xmpp:omemo:2" })), { archive: true, offline: true }],
    ["a delivery receipt", msg("chat", x("received", { xmlns: "urn:xmpp:receipts", id: "1" })), { archive: true, offline: true }],
    ["a read marker", msg("chat", x("displayed", { xmlns: "urn:xmpp:chat-markers:0", id: "1" })), { archive: true, offline: true }],
    ["a mediated MUC invitation", msg("normal", x("x", { xmlns: "http://jabber.org/protocol/muc#user" }, x("invite", { from: "a@b" }))), { archive: true, offline: true }],
    ["muc#user without an invitation", msg("normal", x("x", { xmlns: "http://jabber.org/protocol/muc#user" })), { archive: false, offline: false }],
  ];
  for (const [what, stanza, expected] of cases) assert.deepEqual(storability(stanza), expected, what);
});
