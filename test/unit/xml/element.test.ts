import { test } from "node:test";
import assert from "node:assert/strict";
import { x } from "../../../src/xml/element.js";

test("serialize escapes text and attribute values", () => {
  const el = x("message", { to: "a@b", id: `q"'<&` }, x("body", null, "1 < 2 & 3 > 2"));
  assert.equal(el.toString(), `<message to='a@b' id='q&quot;&apos;&lt;&amp;'><body>1 &lt; 2 &amp; 3 &gt; 2</body></message>`);
});

test("serialize escapes repeatedly (no regex lastIndex state)", () => {
  for (let i = 0; i < 3; i++) assert.equal(x("b", null, "a&b").toString(), "<b>a&amp;b</b>");
});

test("getChild matches by name and namespace", () => {
  const el = x("iq", null, x("query", { xmlns: "jabber:iq:roster" }), x("query", { xmlns: "jabber:iq:version" }));
  assert.equal(el.getChild("query", "jabber:iq:version")?.xmlns, "jabber:iq:version");
  assert.equal(el.getChild("query")?.xmlns, "jabber:iq:roster");
});
