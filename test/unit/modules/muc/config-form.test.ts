// The room configuration form (XEP-0045 §10.2, §15.5.3) and the history request (§7.2.15), as
// XML in and configuration out.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { applyConfigForm, configFeatures, configForm } from "../../../../src/modules/muc/config-form.js";
import { parseHistoryRequest } from "../../../../src/modules/muc/history.js";
import { MUC_DEFAULTS } from "../../../../src/modules/muc/options.js";
import { defaultRoomConfig } from "../../../../src/services/muc-room.js";
import { x, type Element } from "../../../../src/xml/element.js";

function submit(fields: Record<string, string>, formType = "http://jabber.org/protocol/muc#roomconfig"): Element {
  return x(
    "x",
    { xmlns: "jabber:x:data", type: "submit" },
    x("field", { var: "FORM_TYPE" }, x("value", {}, formType)),
    Object.entries(fields).map(([k, v]) => x("field", { var: k }, x("value", {}, v))),
  );
}

describe("room configuration form (§10.2)", () => {
  test("the form carries the muc#roomconfig FORM_TYPE and the room's current values", () => {
    const form = configForm("r@conf.example", defaultRoomConfig({ persistent: true, whois: "anyone" }));
    const value = (v: string) => form.getChildren("field").find((f) => f.attrs.var === v)?.getChildText("value");
    assert.equal(value("FORM_TYPE"), "http://jabber.org/protocol/muc#roomconfig");
    assert.equal(value("muc#roomconfig_persistentroom"), "1");
    assert.equal(value("muc#roomconfig_whois"), "anyone");
    assert.equal(value("muc#roomconfig_membersonly"), "0");
  });

  test("an empty submit (instant room, §10.1.2) keeps the defaults", () => {
    const config = defaultRoomConfig();
    const applied = applyConfigForm(config, x("x", { xmlns: "jabber:x:data", type: "submit" }), MUC_DEFAULTS);
    assert.deepEqual(applied, { config });
  });

  test("submitted values change the configuration; 'true'/'false' count as booleans (XEP-0004 §3.3)", () => {
    const applied = applyConfigForm(defaultRoomConfig(), submit({ "muc#roomconfig_membersonly": "true", "muc#roomconfig_maxusers": "30", "muc#roomconfig_roomname": "Coven" }), MUC_DEFAULTS);
    assert.ok("config" in applied);
    assert.equal(applied.config.membersOnly, true);
    assert.equal(applied.config.maxOccupants, 30);
    assert.equal(applied.config.name, "Coven");
  });

  test("a password is set by roomsecret and cleared when passwordprotectedroom is off", () => {
    const on = applyConfigForm(defaultRoomConfig(), submit({ "muc#roomconfig_passwordprotectedroom": "1", "muc#roomconfig_roomsecret": "cauldron" }), MUC_DEFAULTS);
    assert.ok("config" in on);
    assert.equal(on.config.password, "cauldron");
    assert.ok(configFeatures(on.config).includes("muc_passwordprotected"));
    const off = applyConfigForm(on.config, submit({ "muc#roomconfig_passwordprotectedroom": "0", "muc#roomconfig_roomsecret": "cauldron" }), MUC_DEFAULTS);
    assert.ok("config" in off);
    assert.equal(off.config.password, "");
    assert.ok(configFeatures(off.config).includes("muc_unsecured"));
  });

  test("an invalid value or a foreign FORM_TYPE refuses the whole form and leaves the configuration unchanged", () => {
    const config = defaultRoomConfig();
    assert.ok("error" in applyConfigForm(config, submit({ "muc#roomconfig_persistentroom": "maybe" }), MUC_DEFAULTS));
    assert.ok("error" in applyConfigForm(config, submit({ "muc#roomconfig_whois": "everyone" }), MUC_DEFAULTS));
    assert.ok("error" in applyConfigForm(config, submit({}, "urn:example:other"), MUC_DEFAULTS));
    assert.equal(config.persistent, false);
  });

  test("the history length is capped by the service's maximum so memory stays bounded", () => {
    const applied = applyConfigForm(defaultRoomConfig(), submit({ "muc#maxhistoryfetch": "100000" }), { ...MUC_DEFAULTS, maxHistoryLength: 50 });
    assert.ok("config" in applied);
    assert.equal(applied.config.historyLength, 50);
  });

  test("disco features follow the configuration (§6.4)", () => {
    const features = configFeatures(defaultRoomConfig({ persistent: true, membersOnly: true, moderated: true, public: false }));
    for (const f of ["muc_persistent", "muc_membersonly", "muc_moderated", "muc_hidden", "muc_semianonymous", "muc_unsecured"]) assert.ok(features.includes(f), f);
  });
});

describe("history request (§7.2.15)", () => {
  const join = (attrs: Record<string, string>) => x("x", { xmlns: "http://jabber.org/protocol/muc" }, x("history", attrs));

  test("reads maxstanzas, maxchars, seconds and since", () => {
    const req = parseHistoryRequest(join({ maxstanzas: "5", maxchars: "100", seconds: "60", since: "2026-01-01T00:00:00Z" }));
    assert.deepEqual(req, { maxstanzas: 5, maxchars: 100, seconds: 60, since: new Date("2026-01-01T00:00:00Z") });
  });

  test("ignores malformed limits and a missing history element", () => {
    assert.deepEqual(parseHistoryRequest(join({ maxstanzas: "-1", since: "yesterday" })), {});
    assert.deepEqual(parseHistoryRequest(undefined), {});
  });
});
