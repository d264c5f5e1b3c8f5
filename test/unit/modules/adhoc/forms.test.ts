// XEP-0004 data forms: what we build parses back to the same thing, and submitted forms are read
// the way §3.3 defines field values.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildForm, fieldBoolean, fieldValue, fieldValues, findForm, parseForm, type DataForm } from "../../../../src/modules/adhoc/forms.js";
import { x } from "../../../../src/xml/element.js";

describe("XEP-0004 data forms", () => {
  test("a built form parses back unchanged, including a §3.4 reported/item table", () => {
    const form: DataForm = {
      type: "result",
      title: "Online",
      instructions: ["one", "two"],
      fields: [{ var: "FORM_TYPE", type: "hidden", values: ["http://jabber.org/protocol/admin"] }, { var: "max_items", type: "list-single", label: "Max", required: true, values: ["25"], options: [{ label: "25", value: "25" }, { value: "none" }] }],
      reported: [{ var: "jid", label: "JID", type: "text-single", values: [] }],
      items: [[{ var: "jid", values: ["a@example.com/x"] }], [{ var: "jid", values: ["b@example.com/y"] }]],
    };
    const el = buildForm(form);
    assert.equal(el.attrs.xmlns, "jabber:x:data");
    assert.deepEqual(parseForm(el), form);
  });

  test("text-multi values join with newlines; booleans accept 1/true/0/false (§3.3)", () => {
    const el = x(
      "command",
      null,
      x("x", { xmlns: "jabber:x:data", type: "submit" },
        x("field", { var: "announcement" }, x("value", null, "line 1"), x("value", null, "line 2")),
        x("field", { var: "yes" }, x("value", null, "true")),
        x("field", { var: "no" }, x("value", null, "0")),
        x("field", { var: "jids" }, x("value", null, "a@b"), x("value", null, "c@d")),
      ),
    );
    const form = findForm(el);
    assert.equal(fieldValue(form, "announcement"), "line 1\nline 2");
    assert.equal(fieldBoolean(form, "yes"), true);
    assert.equal(fieldBoolean(form, "no"), false);
    assert.equal(fieldBoolean(form, "missing"), undefined);
    assert.deepEqual(fieldValues(form, "jids"), ["a@b", "c@d"]);
    assert.equal(fieldValue(form, "missing"), undefined);
  });

  test("an element without a data form has none", () => {
    assert.equal(findForm(x("command")), undefined);
  });
});
