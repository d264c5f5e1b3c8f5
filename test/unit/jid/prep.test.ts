import { test } from "node:test";
import assert from "node:assert/strict";
import { domainToASCII } from "node:url";
import { PrepError, type PrepErrorCode, nameprep, nodeprep, resourceprep, saslprep } from "../../../src/jid/prep.js";

// Errors are asserted by code, never by message text (STYLE-ANCHORS §4.4 rule 7).
function refuses(fn: (s: string) => string, input: string, code: PrepErrorCode): void {
  assert.throws(
    () => fn(input),
    (err: unknown) => err instanceof PrepError && err.code === code,
    `${fn.name}(${JSON.stringify(input)}) should fail with ${code}`,
  );
}

// U+00AD SOFT HYPHEN is mapped to nothing (table B.1), so appending it forces a string off the
// ASCII fast path without changing what it should prepare to.
const SOFT_HYPHEN = "\u00AD";

// ---- nodeprep ----------------------------------------------------------------------------------

test("nodeprep lowercases an ASCII localpart", () => {
  assert.equal(nodeprep("Romeo"), "romeo");
  assert.equal(nodeprep("juliet.CAPULET+tag"), "juliet.capulet+tag");
});

test("nodeprep folds fullwidth letters to ASCII through NFKC", () => {
  assert.equal(nodeprep("\uFF2A\uFF55\uFF4C\uFF49\uFF45\uFF54"), "juliet"); // ＪｕＬｉｅｔ
});

test("nodeprep folds ß and ẞ to ss, as stringprep table B.2 does, so all spellings are one account", () => {
  assert.equal(nodeprep("Straße"), "strasse");
  assert.equal(nodeprep("STRAẞE"), "strasse");
  assert.equal(nodeprep("strasse"), "strasse");
});

test("nodeprep folds Greek final sigma and letters whose compatibility form has case", () => {
  assert.equal(nodeprep("ΣΑΣ"), "σασ");
  assert.equal(nodeprep("σας"), "σασ");
  assert.equal(nodeprep("\u2121"), "tel"); // ℡ → TEL by NFKC, then folded
  assert.equal(nodeprep("\u{1D400}"), "a"); // MATHEMATICAL BOLD CAPITAL A
  assert.equal(nodeprep("İ"), "i\u0307"); // B.2: U+0130 → i + combining dot above
});

test("nodeprep keeps case pairs that table B.2 does not fold, and joins their later partners to them", () => {
  // Dotless i has no B.2 mapping; folding it to "i" would merge accounts a stringprep server keeps apart.
  assert.equal(nodeprep("ı"), "ı");
  // Georgian Asomtavruli and Cherokee capitals are unmapped in B.2; their lowercase letters (added
  // after Unicode 3.2) fold to the capital so both spellings still name one account.
  assert.equal(nodeprep("\u2D00"), "\u10A0");
  assert.equal(nodeprep("\u10A0"), "\u10A0");
  assert.equal(nodeprep("\uAB70"), "\u13A0");
  assert.equal(nodeprep("\u13A0"), "\u13A0");
});

test("nodeprep maps table B.1 characters to nothing", () => {
  assert.equal(nodeprep("ro\u00ADmeo"), "romeo");
  assert.equal(nodeprep("ro\u200Dmeo\uFE0F"), "romeo");
});

test("nodeprep refuses each of the localpart-prohibited characters and space", () => {
  for (const ch of [`"`, "&", "'", "/", ":", "<", ">", "@", " "]) {
    refuses(nodeprep, `a${ch}b`, "prohibited");
    refuses(nodeprep, `é${ch}b`, "prohibited"); // the same on the non-ASCII path
  }
});

test("nodeprep refuses non-ASCII spaces", () => {
  refuses(nodeprep, "a\u00A0b", "prohibited");
  refuses(nodeprep, "a\u3000b", "prohibited");
});

test("control, format and display-changing characters are refused in localparts and resources", () => {
  for (const ch of ["\u0000", "\u0007", "\u001F", "\u007F", "\u0085", "\u2028", "\u200E", "\u202E", "\u206A"]) {
    refuses(nodeprep, `a${ch}b`, "prohibited");
    refuses(resourceprep, `a${ch}b`, "prohibited");
  }
});

test("private-use, noncharacter, surrogate, tagging and replacement characters are refused", () => {
  for (const ch of ["\uE000", "\u{F0000}", "\uFDD0", "\uFFFF", "\u{10FFFF}", "\uD800", "\uDC00", "\u{E0001}", "\uFFFD", "\u2FF0"]) {
    refuses(nodeprep, `a${ch}`, "prohibited");
    refuses(resourceprep, `a${ch}`, "prohibited");
    refuses(saslprep, `a${ch}`, "prohibited");
  }
});

test("unassigned code points are refused", () => {
  for (const ch of ["\u0378", "\u{2FFFD}", "\u{E0080}"]) {
    refuses(nodeprep, `a${ch}`, "unassigned");
    refuses(resourceprep, `a${ch}`, "unassigned");
    refuses(saslprep, `a${ch}`, "unassigned");
    refuses(nameprep, `a${ch}.example`, "unassigned");
  }
});

test("characters assigned after Unicode 3.2 are accepted, as a stringprep server accepts them in queries", () => {
  assert.equal(nodeprep("😀"), "😀");
  assert.equal(resourceprep("phone 📱"), "phone 📱");
});

test("right-to-left text may not mix with left-to-right text", () => {
  refuses(nodeprep, "\u05D0a", "bidi");
  refuses(nodeprep, "a\u05D0", "bidi");
  refuses(resourceprep, "\u05D0\u05D1 abc \u05D2", "bidi");
  refuses(saslprep, "\u0627b\u0628", "bidi");
});

test("right-to-left text must start and end with a right-to-left character", () => {
  refuses(nodeprep, "\u05D01", "bidi");
  refuses(nodeprep, "1\u05D0", "bidi");
  assert.equal(nodeprep("\u05D01\u05D1"), "\u05D01\u05D1"); // digits inside are fine
  assert.equal(nodeprep("\u0627\u0628"), "\u0627\u0628");
  assert.equal(resourceprep("\u05D0 \u05D1"), "\u05D0 \u05D1");
});

test("empty localparts, resources and domains are refused, also when mapping leaves nothing", () => {
  refuses(nodeprep, "", "empty");
  refuses(nodeprep, SOFT_HYPHEN, "empty");
  refuses(resourceprep, "", "empty");
  refuses(resourceprep, "\u200B", "empty");
  refuses(nameprep, "", "empty");
});

test("a localpart may be 1023 UTF-8 bytes but not 1024", () => {
  assert.equal(nodeprep("a".repeat(1023)), "a".repeat(1023));
  refuses(nodeprep, "a".repeat(1024), "too-long");
  assert.equal(nodeprep("é".repeat(511) + "a"), "é".repeat(511) + "a");
  refuses(nodeprep, "é".repeat(512), "too-long"); // 512 two-byte characters
  refuses(resourceprep, "r".repeat(1024), "too-long");
});

test("a part that NFKC expands beyond 1023 bytes is refused", () => {
  // U+FDFA is 3 bytes; NFKC expands it to an 18-character Arabic phrase of 33 bytes.
  refuses(resourceprep, "\uFDFA".repeat(40), "too-long");
});

// ---- resourceprep ------------------------------------------------------------------------------

test("resourceprep keeps case and ASCII spaces", () => {
  assert.equal(resourceprep("Orchard"), "Orchard");
  assert.equal(resourceprep("Gajim on My Laptop"), "Gajim on My Laptop");
  assert.equal(resourceprep("a@b/c"), "a@b/c");
});

test("resourceprep applies NFKC and B.1 but does not fold case", () => {
  assert.equal(resourceprep("\uFF28\uFF49"), "Hi"); // ＨＩ fullwidth
  assert.equal(resourceprep("\uFB01le"), "file"); // ﬁ ligature
  assert.equal(resourceprep("Ro\u00ADmeo"), "Romeo");
  assert.equal(resourceprep("Straße"), "Straße");
});

test("resourceprep turns compatibility spaces into ASCII space and refuses the other non-ASCII spaces", () => {
  // NFKC runs before the prohibition check, so NO-BREAK and EM SPACE arrive as U+0020.
  assert.equal(resourceprep("a\u00A0b"), "a b");
  assert.equal(resourceprep("a\u2003b"), "a b");
  refuses(resourceprep, "a\u1680b", "prohibited"); // OGHAM SPACE MARK has no decomposition
});

// ---- nameprep ----------------------------------------------------------------------------------

test("nameprep lowercases ASCII domains", () => {
  assert.equal(nameprep("Example.NET"), "example.net");
  assert.equal(nameprep("localhost"), "localhost");
  assert.equal(nameprep("conference.xmpp-1.example"), "conference.xmpp-1.example");
});

test("nameprep folds fullwidth letters and treats ideographic full stops as dots", () => {
  assert.equal(nameprep("\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.com"), "example.com");
  assert.equal(nameprep("example\u3002com"), "example.com");
  assert.equal(nameprep("example\uFF0Ecom"), "example.com");
});

test("nameprep accepts IPv4 and bracketed IPv6 literals", () => {
  assert.equal(nameprep("192.0.2.1"), "192.0.2.1");
  assert.equal(nameprep("[::1]"), "[::1]");
  assert.equal(nameprep("[2001:db8::1]"), "[2001:db8::1]");
  assert.equal(nameprep("[::ffff:192.0.2.1]"), "[::ffff:192.0.2.1]");
  // Hex digits are lowercased, as nameprep's case folding would do to the literal.
  assert.equal(nameprep("[2001:DB8::1]"), "[2001:db8::1]");
});

test("nameprep refuses malformed IP literals", () => {
  for (const bad of ["[fe80::1%eth0]", "[example.com]", "[::1", "[]", "[1.2.3.4]", "::1"]) {
    assert.throws(() => nameprep(bad), PrepError, bad);
  }
  // Numeric names that are not valid dotted quads, e.g. octal-looking ones, are not hostnames either.
  for (const bad of ["256.1.1.1", "010.0.0.1", "1.2.3", "123"]) refuses(nameprep, bad, "invalid-domain");
});

test("nameprep refuses domains that are not hostnames", () => {
  const long = "x".repeat(64);
  for (const bad of ["exa mple.com", "a..b", ".com", `${long}.com`, "-a.com", "a-.com", "a_b.com", "a@b", "a/b", "a:5222", "a\u0000b", "example.com."]) {
    refuses(nameprep, bad, "invalid-domain");
  }
  assert.equal(nameprep(`${"x".repeat(63)}.com`), `${"x".repeat(63)}.com`);
});

test("nameprep measures label length in A-label form", () => {
  const label = "ü".repeat(60);
  assert.ok(domainToASCII(label).length > 63, "precondition: the punycode form exceeds 63 octets");
  refuses(nameprep, `${label}.example`, "invalid-domain");
  assert.equal(nameprep(`${"ü".repeat(20)}.example`), `${"ü".repeat(20)}.example`);
});

test("nameprep case-folds internationalized labels and keeps them as U-labels", () => {
  assert.equal(nameprep("Bücher.Example"), "bücher.example");
  assert.equal(nameprep("ПРИМЕР.рф"), "пример.рф");
});

test("nameprep converts a valid A-label to its U-label so both spellings are one domain", () => {
  assert.equal(nameprep("xn--bcher-kva.example"), "bücher.example");
  assert.equal(nameprep("XN--BCHER-KVA.example"), "bücher.example");
});

test("nameprep refuses invalid A-labels and ones that nameprep would change", () => {
  refuses(nameprep, "xn--zz.example", "invalid-domain");
  refuses(nameprep, "xn--abc-.example", "invalid-domain"); // decodes to plain "abc"
  // "xn--zca" is IDNA2008 "ß"; nameprep turns ß into "ss", which is a different DNS name.
  refuses(nameprep, "xn--zca.example", "invalid-domain");
});

test("nameprep applies the bidi rule per label", () => {
  assert.equal(nameprep("مثال.example"), "مثال.example");
  refuses(nameprep, "مثالa.example", "bidi");
});

test("nameprep refuses prohibited characters in a domain", () => {
  refuses(nameprep, "exa\u1680mple.com", "prohibited"); // OGHAM SPACE MARK (C.1.2)
  // NO-BREAK SPACE becomes an ASCII space under NFKC, which the hostname syntax then refuses.
  refuses(nameprep, "exa\u00A0mple.com", "invalid-domain");
  refuses(nameprep, "exa\uE000mple.com", "prohibited");
  refuses(nameprep, "exa\u200Emple.com", "prohibited");
});

// ---- saslprep ----------------------------------------------------------------------------------

test("saslprep gives the results of the RFC 4013 section 3 examples", () => {
  assert.equal(saslprep("I\u00ADX"), "IX");
  assert.equal(saslprep("user"), "user");
  assert.equal(saslprep("USER"), "USER");
  assert.equal(saslprep("\u00AA"), "a");
  assert.equal(saslprep("\u2168"), "IX");
  refuses(saslprep, "\u0007", "prohibited");
  refuses(saslprep, "\u0627\u0031", "bidi");
});

test("saslprep maps non-ASCII spaces to ASCII space", () => {
  assert.equal(saslprep("pass\u00A0word"), "pass word");
  assert.equal(saslprep("pass\u3000word"), "pass word");
});

test("saslprep leaves the empty string and ASCII punctuation alone", () => {
  // RFC 4013 does not forbid an empty string; whether it is acceptable is the caller's decision.
  assert.equal(saslprep(""), "");
  assert.equal(saslprep(` !"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`), ` !"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`);
});

// ---- properties --------------------------------------------------------------------------------

test("the ASCII fast path agrees with full preparation for every printable ASCII character", () => {
  const outcome = (fn: (s: string) => string, s: string): string => {
    try {
      return fn(s);
    } catch (err) {
      return `!${(err as PrepError).code}`;
    }
  };
  for (let c = 0x20; c < 0x7f; c++) {
    const s = `Ab${String.fromCharCode(c)}z`;
    for (const fn of [nodeprep, resourceprep, saslprep]) {
      assert.equal(outcome(fn, s + SOFT_HYPHEN), outcome(fn, s), `${fn.name} ${JSON.stringify(s)}`);
    }
    const host = `Ab${String.fromCharCode(c)}z.example`;
    assert.equal(outcome(nameprep, host.replace(".", SOFT_HYPHEN + ".")), outcome(nameprep, host), `nameprep ${JSON.stringify(host)}`);
  }
});

test("preparing an already prepared string changes nothing", () => {
  const samples = ["Romeo", "Straße", "ΣΑΣ", "\u2121", "ǅ", "ﬀ", "İstanbul", "\u1E9E", "\u0390", "ᾈ", "\u03D2\u0301", "\u2D00", "Ꭰ", "😀", "\u05D0\u05D1"];
  for (const s of samples) {
    const once = nodeprep(s);
    assert.equal(nodeprep(once), once, `nodeprep ${JSON.stringify(s)}`);
    const r = resourceprep(s);
    assert.equal(resourceprep(r), r, `resourceprep ${JSON.stringify(s)}`);
  }
  for (const d of ["Bücher.Example", "xn--bcher-kva.example", "ｅｘａｍｐｌｅ。com", "[2001:DB8::1]"]) {
    const once = nameprep(d);
    assert.equal(nameprep(once), once, `nameprep ${JSON.stringify(d)}`);
  }
});

test("preparation errors are PrepError values carrying a code", () => {
  try {
    nodeprep("a@b");
    assert.fail("expected a PrepError");
  } catch (err) {
    assert.ok(err instanceof PrepError);
    assert.equal(err.code, "prohibited");
    assert.equal(err.name, "PrepError");
  }
});
