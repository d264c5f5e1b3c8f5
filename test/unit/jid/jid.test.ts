import { test } from "node:test";
import assert from "node:assert/strict";
import { Jid, JidError } from "../../../src/jid/jid.js";
import { PrepError } from "../../../src/jid/prep.js";

test("parse prepares each part: localpart and domain fold case, resource keeps it", () => {
  const jid = Jid.parse("Romeo@Example.NET/Orchard");
  assert.equal(jid.local, "romeo");
  assert.equal(jid.domain, "example.net");
  assert.equal(jid.resource, "Orchard");
  assert.equal(jid.toString(), "romeo@example.net/Orchard");
});

test("two spellings of one address parse to equal JIDs", () => {
  const a = Jid.parse("ROMEO@EXAMPLE.NET");
  const b = Jid.parse("\uFF52\uFF4F\uFF4D\uFF45\uFF4F@example.net."); // fullwidth "romeo", trailing dot
  assert.ok(a.equals(b));
  assert.equal(a.toString(), b.toString());
});

test("equals compares every part, including the resource", () => {
  const full = Jid.parse("romeo@example.net/orchard");
  assert.ok(!full.equals(Jid.parse("romeo@example.net/Orchard")));
  assert.ok(!full.equals(Jid.parse("romeo@example.net")));
  assert.ok(!full.equals(undefined));
});

test("the resource begins at the first slash and may contain @ and /", () => {
  const jid = Jid.parse("juliet@example.com/foo/bar@baz");
  assert.equal(jid.local, "juliet");
  assert.equal(jid.resource, "foo/bar@baz");
  // A slash before the @ ends the domain: everything after it is resource.
  const odd = Jid.parse("example.com/juliet@example.net");
  assert.equal(odd.local, "");
  assert.equal(odd.domain, "example.com");
  assert.equal(odd.resource, "juliet@example.net");
});

test("bare drops the resource and returns a bare JID unchanged", () => {
  const full = Jid.parse("romeo@example.net/orchard");
  assert.equal(full.bare().toString(), "romeo@example.net");
  assert.ok(full.bare().isBare);
  const bare = Jid.parse("romeo@example.net");
  assert.equal(bare.bare(), bare);
});

test("isDomain is true only for a bare domain", () => {
  assert.ok(Jid.parse("conference.example.net").isDomain);
  assert.ok(!Jid.parse("example.net/admin").isDomain);
  assert.ok(!Jid.parse("romeo@example.net").isDomain);
});

test("toString round-trips through parse", () => {
  for (const s of ["romeo@example.net/Orchard Balcony", "example.net", "example.net/r", "a@b", "ǅ@bücher.example/Ⅸ", "u@[2001:db8::1]/r"]) {
    const jid = Jid.parse(s);
    assert.ok(Jid.parse(jid.toString()).equals(jid), s);
    assert.equal(Jid.parse(jid.toString()).toString(), jid.toString());
  }
});

test("one final label separator is stripped from the domain, but not two", () => {
  assert.equal(Jid.parse("romeo@example.net.").domain, "example.net");
  assert.equal(Jid.parse("romeo@example.net\u3002/r").domain, "example.net");
  assert.throws(() => Jid.parse("romeo@example.net.."), JidError);
  assert.throws(() => Jid.parse("romeo@."), JidError);
});

test("empty parts are refused", () => {
  for (const bad of ["", "@example.net", "romeo@", "romeo@/r", "romeo@example.net/", "/r", "\u00AD@example.net", "romeo@example.net/\u200B"]) {
    assert.throws(() => Jid.parse(bad), JidError, JSON.stringify(bad));
  }
});

test("invalid localparts and domains are refused", () => {
  for (const bad of ["ro meo@example.net", 'a"b@example.net', "a@b@example.net", "romeo@exa mple.net", "romeo@a..b", "romeo@a_b.example", "\u05D0a@example.net", "a\u0007@example.net"]) {
    assert.throws(() => Jid.parse(bad), JidError, JSON.stringify(bad));
  }
});

test("a 1024-byte localpart is refused and a 1023-byte one accepted", () => {
  assert.equal(Jid.parse(`${"a".repeat(1023)}@example.net`).local.length, 1023);
  assert.throws(() => Jid.parse(`${"a".repeat(1024)}@example.net`), JidError);
});

test("IPv4 and IPv6 domains are accepted", () => {
  assert.equal(Jid.parse("romeo@192.0.2.1/r").domain, "192.0.2.1");
  const v6 = Jid.parse("romeo@[2001:db8::1]/r");
  assert.equal(v6.domain, "[2001:db8::1]");
  assert.equal(v6.toString(), "romeo@[2001:db8::1]/r");
});

test("a JidError keeps the preparation error as its cause", () => {
  try {
    Jid.parse("a:b@example.net");
    assert.fail("expected a JidError");
  } catch (err) {
    assert.ok(err instanceof JidError);
    assert.equal(err.input, "a:b@example.net");
    assert.ok(err.cause instanceof PrepError);
    assert.equal(err.cause.code, "prohibited");
  }
});

test("tryParse returns undefined for invalid or missing input", () => {
  assert.equal(Jid.tryParse(undefined), undefined);
  assert.equal(Jid.tryParse("romeo@"), undefined);
  assert.equal(Jid.tryParse("Romeo@example.net")?.local, "romeo");
});

test("withResource prepares the resource, so a client-chosen one cannot bypass resourceprep", () => {
  const bare = Jid.parse("romeo@example.net");
  assert.equal(bare.withResource("\uFF28\uFF4F\uFF4D\uFF45").resource, "Home"); // fullwidth "Home"
  assert.equal(bare.withResource("Orchard").toString(), "romeo@example.net/Orchard");
  assert.throws(() => bare.withResource("bad\u0000"), JidError);
  const full = bare.withResource("r");
  assert.ok(full.withResource("").equals(bare));
});

test("of builds a JID from already prepared parts without re-preparing them", () => {
  const jid = Jid.of("romeo", "example.net", "Orchard");
  assert.ok(jid.equals(Jid.parse("Romeo@Example.net/Orchard")));
  assert.equal(Jid.of("", "example.net").toString(), "example.net");
});

test("a JID serializes to JSON as its string form", () => {
  assert.equal(JSON.stringify({ to: Jid.parse("romeo@example.net/r") }), `{"to":"romeo@example.net/r"}`);
});

test("parsing is repeatable: the same text gives the same prepared JID, bad text fails every time", () => {
  // Parsed JIDs are cached by input text; the cache must be invisible.
  for (let round = 0; round < 3; round++) {
    const jid = Jid.parse("Juliet@Example.COM/Balcony");
    assert.equal(jid.toString(), "juliet@example.com/Balcony");
    assert.equal(jid.bare().toString(), "juliet@example.com");
    assert.ok(jid.equals(Jid.of("juliet", "example.com", "Balcony")));
    assert.throws(() => Jid.parse("juliet@example.com/"), JidError);
    assert.equal(Jid.tryParse("@example.com"), undefined);
  }
  // Far more distinct addresses than the cache holds still parse correctly.
  for (let i = 0; i < 10_000; i++) assert.equal(Jid.parse(`User${i}@Example.com`).local, `user${i}`);
  assert.equal(Jid.parse("User0@Example.com").toString(), "user0@example.com");
});
