import { test } from "node:test";
import assert from "node:assert/strict";
import type { Element } from "../../../src/xml/element.js";
import { StreamParser, DEFAULT_LIMITS } from "../../../src/xml/stream-parser.js";
import type { ParserLimits, StreamEvent } from "../../../src/xml/stream-parser.js";

const STREAMS = "http://etherx.jabber.org/streams";
const HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
  "to='example.com' version='1.0' xml:lang='en' id='s1'>";

function feed(p: StreamParser, ...chunks: Array<string | Buffer>): StreamEvent[] {
  return chunks.flatMap((c) => p.write(typeof c === "string" ? Buffer.from(c) : c));
}

/** A parser that has already read the standard client stream header, then given these limits. */
function opened(limits?: Partial<ParserLimits>): StreamParser {
  const p = new StreamParser();
  const events = feed(p, HEADER);
  assert.deepEqual(events.map((e) => e.kind), ["open"]);
  if (limits) p.setLimits(limits);
  return p;
}

function elements(events: StreamEvent[]): Element[] {
  return events.flatMap((e) => (e.kind === "element" ? [e.el] : []));
}

/** Parses one stanza in an open stream and returns it (failing on anything else). */
function parseOne(xml: string, limits?: Partial<ParserLimits>): Element {
  const events = feed(opened(limits), xml);
  assert.equal(events.length, 1, JSON.stringify(events));
  const ev = events[0]!;
  assert.equal(ev.kind, "element", JSON.stringify(ev));
  return (ev as { el: Element }).el;
}

/** The condition of the error the input ends in, asserting that nothing follows it. */
function errorOf(events: StreamEvent[]): string {
  const last = events.at(-1);
  assert.equal(last?.kind, "error", `expected an error, got ${JSON.stringify(events)}`);
  return (last as { condition: string }).condition;
}

function streamError(xml: string | Buffer, limits?: Partial<ParserLimits>): string {
  return errorOf(feed(opened(limits), xml));
}

function prologError(xml: string | Buffer): string {
  return errorOf(feed(new StreamParser(), xml));
}

// ---------------------------------------------------------------- stream header

test("stream header: the prefixed name is resolved and its attributes reported, minus xmlns:stream", () => {
  const events = feed(new StreamParser(), HEADER);
  assert.deepEqual(events, [
    {
      kind: "open",
      name: "stream",
      ns: STREAMS,
      attrs: { xmlns: "jabber:client", to: "example.com", version: "1.0", "xml:lang": "en", id: "s1" },
    },
  ]);
});

test("stream header keeps other prefix declarations (dialback) for the s2s layer", () => {
  const [ev] = feed(
    new StreamParser(),
    "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'>",
  );
  assert.equal(ev?.kind, "open");
  assert.deepEqual((ev as { attrs: object }).attrs, { xmlns: "jabber:server", "xmlns:db": "jabber:server:dialback" });
});

test("stream header outside the streams namespace or not named stream is invalid-namespace", () => {
  assert.equal(prologError("<stream:stream xmlns='jabber:client' xmlns:stream='urn:wrong'>"), "invalid-namespace");
  assert.equal(prologError("<stream xmlns='jabber:client'>"), "invalid-namespace");
  assert.equal(prologError("<s:flow xmlns:s='http://etherx.jabber.org/streams'>"), "invalid-namespace");
});

test("stream header with an undeclared prefix is bad-namespace-prefix", () => {
  assert.equal(prologError("<stream:stream xmlns='jabber:client'>"), "bad-namespace-prefix");
});

test("stream header larger than the header cap is a policy violation", () => {
  assert.equal(prologError(`<stream:stream xmlns:stream='${STREAMS}' id='${"a".repeat(10_000)}'>`), "policy-violation");
});

test("a byte order mark may precede the XML declaration", () => {
  const events = feed(new StreamParser(), Buffer.from([0xef, 0xbb, 0xbf]), HEADER);
  assert.deepEqual(events.map((e) => e.kind), ["open"]);
});

test("an XML declaration that is not at the very start is refused", () => {
  assert.equal(prologError(` <?xml version='1.0'?>`), "restricted-xml");
});

test("an XML declaration without a version is not well-formed", () => {
  assert.equal(prologError(`<?xml encoding='UTF-8'?>`), "not-well-formed");
});

// ---------------------------------------------------------------- chunking and UTF-8

const RICH_STANZA =
  `<message to='juliet@example.com/balcony' type="chat" id='m1' xml:lang='fr'>` +
  `<body>Ça va ? 日本 😀 &amp; &#x1F600;&#233; <![CDATA[<raw> & ]]]]> done\r\nline</body>` +
  `<x:data xmlns:x='urn:example:data' x:kind='a b'>t</x:data ></message>`;

test("a stanza split at every possible byte boundary yields the identical element", () => {
  const buf = Buffer.from(RICH_STANZA);
  const reference = feed(opened(), buf);
  assert.equal(reference.length, 1);
  assert.equal(reference[0]!.kind, "element");
  for (let k = 1; k < buf.length; k++) {
    const events = feed(opened(), buf.subarray(0, k), buf.subarray(k));
    assert.deepEqual(events, reference, `split at byte ${k}`);
  }
});

test("a whole stream fed one byte at a time parses identically", () => {
  const buf = Buffer.from(HEADER + " " + RICH_STANZA + "\n<presence/></stream:stream>");
  const whole = feed(new StreamParser(), buf);
  const p = new StreamParser();
  const events: StreamEvent[] = [];
  for (let i = 0; i < buf.length; i++) events.push(...p.write(buf.subarray(i, i + 1)));
  assert.deepEqual(events, whole);
  assert.deepEqual(whole.map((e) => e.kind), ["open", "element", "element", "close"]);
});

test("multi-byte characters split across chunks are delivered intact", () => {
  for (const text of ["é", "😀", "日本"]) {
    const buf = Buffer.from(`<message id='${text}'><body>${text}</body></message>`);
    const p = opened();
    const events: StreamEvent[] = [];
    for (let i = 0; i < buf.length; i++) events.push(...p.write(buf.subarray(i, i + 1)));
    const [el] = elements(events);
    assert.equal(el?.attrs.id, text);
    assert.equal(el?.getChildText("body"), text);
  }
});

test("invalid UTF-8 is refused", () => {
  for (const bad of [[0xc3, 0x28], [0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80]]) {
    const bytes = Buffer.concat([Buffer.from("<message><body>"), Buffer.from(bad), Buffer.from("</body></message>")]);
    assert.equal(streamError(bytes), "unsupported-encoding", `bytes ${bad.join(",")}`);
  }
  // A sequence cut short by the next chunk's ASCII byte.
  const p = opened();
  assert.deepEqual(feed(p, Buffer.from("<message><body>\xe6", "latin1")), []);
  assert.equal(errorOf(feed(p, "x</body></message>")), "unsupported-encoding");
});

test("a character cut by a chunk boundary is still checked when an empty chunk comes between", () => {
  // A streaming TextDecoder forgot the held byte across an empty chunk and let this through.
  const p = opened();
  assert.deepEqual(feed(p, Buffer.from("<message><body>\xe2", "latin1"), Buffer.alloc(0)), []);
  assert.equal(errorOf(feed(p, ">x</body></message>")), "unsupported-encoding");
  // A lead byte that can never start a character is refused at once, not one chunk later.
  const q = opened();
  assert.equal(errorOf(feed(q, Buffer.from("<message><body>\xe0\x80", "latin1"))), "unsupported-encoding");
});

test("an encoding other than UTF-8 is unsupported-encoding", () => {
  assert.equal(prologError(`<?xml version='1.0' encoding='ISO-8859-1'?>`), "unsupported-encoding");
  assert.equal(prologError(Buffer.from([0xfe, 0xff, 0x00, 0x3c])), "unsupported-encoding"); // UTF-16 BOM
});

// ---------------------------------------------------------------- limits

test("a 1 MiB stanza is a policy violation raised in the chunk that crosses the limit", () => {
  const p = opened();
  const chunk = Buffer.alloc(1024, "a");
  const open = "<message><body>";
  let events = feed(p, open);
  let written = open.length;
  let failedAt = -1;
  for (let i = 0; i < 1024 && failedAt < 0; i++) {
    events = p.write(chunk);
    written += chunk.length;
    if (events.length > 0) failedAt = written;
  }
  assert.equal(errorOf(events), "policy-violation");
  // Stopped in the chunk that took the stanza past maxStanzaBytes, not at the end of the stanza.
  assert.ok(failedAt > DEFAULT_LIMITS.maxStanzaBytes && failedAt <= DEFAULT_LIMITS.maxStanzaBytes + chunk.length, `failed at ${failedAt}`);
  assert.deepEqual(p.write(chunk), []);
});

test("a 1 MiB stanza in one chunk is refused without reading past the limit", () => {
  // The control character after 300 KiB would be not-well-formed; seeing policy-violation
  // instead proves the scan stopped at the limit.
  const body = Buffer.alloc(1 << 20, "a");
  body[300 * 1024] = 0x01;
  const events = feed(opened(), Buffer.concat([Buffer.from("<message><body>"), body, Buffer.from("</body></message>")]));
  assert.equal(errorOf(events), "policy-violation");
});

test("stanza size is counted in bytes: exactly at the limit passes, one byte over fails", () => {
  const stanza = (body: string) => `<message><body>${body}</body></message>`;
  const size = Buffer.byteLength(stanza("é".repeat(40)));
  assert.equal(parseOne(stanza("é".repeat(40)), { maxStanzaBytes: size }).getChildText("body"), "é".repeat(40));
  assert.equal(streamError(stanza("é".repeat(40)), { maxStanzaBytes: size - 1 }), "policy-violation");
  // Counting characters instead of bytes would have let this one through.
  assert.equal(streamError(stanza("é".repeat(40)), { maxStanzaBytes: stanza("e".repeat(40)).length }), "policy-violation");
});

test("element events report the stanza's size on the wire", () => {
  const xml = "<message to='a@b'><body>日本 😀</body></message>";
  const events = feed(opened(), " ", xml, "\n<presence/>");
  assert.deepEqual(
    events.map((e) => (e.kind === "element" ? e.bytes : -1)),
    [Buffer.byteLength(xml), "<presence/>".length],
  );
});

test("setLimits raising maxStanzaBytes takes effect for the following stanzas", () => {
  const big = `<message><body>${"x".repeat(500)}</body></message>`;
  assert.equal(streamError(big, { maxStanzaBytes: 100 }), "policy-violation");
  const p = opened({ maxStanzaBytes: 100 });
  p.setLimits({ maxStanzaBytes: 10_000 });
  assert.equal(elements(feed(p, big)).length, 1);
});

test("setLimits applies to a stanza already in progress from the next chunk on", () => {
  const p = opened({ maxStanzaBytes: 100 });
  assert.deepEqual(feed(p, "<message><body>"), []);
  p.setLimits({ maxStanzaBytes: 10_000 });
  assert.equal(elements(feed(p, "x".repeat(500), "</body></message>")).length, 1);
});

test("nesting deeper than maxDepth is a policy violation", () => {
  const nest = (levels: number) => "<a>".repeat(levels) + "</a>".repeat(levels);
  assert.ok(parseOne(nest(3), { maxDepth: 3 }));
  assert.equal(streamError(nest(4), { maxDepth: 3 }), "policy-violation");
});

test("more than maxChildren elements in a stanza is a policy violation", () => {
  const withChildren = (n: number) => `<iq><query>${"<item/>".repeat(n - 1)}</query></iq>`;
  assert.equal(parseOne(withChildren(5), { maxChildren: 5 }).elements[0]?.elements.length, 4);
  assert.equal(streamError(withChildren(6), { maxChildren: 5 }), "policy-violation");
});

test("more than maxAttributes attributes on an element is a policy violation", () => {
  assert.ok(parseOne("<presence a='1' b='2' c='3'/>", { maxAttributes: 3 }));
  assert.equal(streamError("<presence a='1' b='2' c='3' d='4'/>", { maxAttributes: 3 }), "policy-violation");
});

test("an endless run of whitespace between stanzas is cut off", () => {
  assert.equal(streamError(" ".repeat(2000), { maxStanzaBytes: 1000 }), "policy-violation");
});

// ---------------------------------------------------------------- restricted XML

test("DOCTYPE and the billion laughs are refused as restricted-xml", () => {
  const lolz =
    `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
    `<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
  assert.equal(prologError(lolz), "restricted-xml");
  assert.equal(prologError(`<!DOCTYPE stream>`), "restricted-xml");
  assert.equal(streamError(`<!ENTITY x "y">`), "restricted-xml");
  assert.equal(streamError(`<message><!DOCTYPE x></message>`), "restricted-xml");
});

test("comments are refused wherever they appear", () => {
  assert.equal(prologError(`<!-- hi -->`), "restricted-xml");
  assert.equal(streamError(`<!-- between stanzas -->`), "restricted-xml");
  assert.equal(streamError(`<message><!-- inside --></message>`), "restricted-xml");
});

test("processing instructions are refused wherever they appear", () => {
  assert.equal(prologError(`<?xml-stylesheet href='x'?>`), "restricted-xml");
  assert.equal(streamError(`<?pi data?>`), "restricted-xml");
  assert.equal(streamError(`<message><?xml version='1.0'?></message>`), "restricted-xml");
});

test("an undefined entity is refused as restricted-xml, a malformed one as not-well-formed", () => {
  assert.equal(streamError(`<message><body>&lol;</body></message>`), "restricted-xml");
  assert.equal(streamError(`<message to='&nbsp;'/>`), "restricted-xml");
  assert.equal(streamError(`<message><body>&amp</body></message>`), "not-well-formed");
  assert.equal(streamError(`<message><body>&#;</body></message>`), "not-well-formed");
  assert.equal(streamError(`<message><body>& </body></message>`), "not-well-formed");
});

test("predefined and numeric character references are decoded in text and attributes", () => {
  const el = parseOne(`<message id='&lt;&#65;&#x42;&quot;&apos;'><body>&lt;b&gt; &amp; &#233;&#x1F600;&#10;</body></message>`);
  assert.equal(el.attrs.id, `<AB"'`);
  assert.equal(el.getChildText("body"), "<b> & é😀\n");
});

test("references to characters XML 1.0 forbids are not well-formed", () => {
  for (const ref of ["&#0;", "&#x1;", "&#xD800;", "&#xFFFE;", "&#x110000;", "&#99999999999999999999;"]) {
    assert.equal(streamError(`<message><body>${ref}</body></message>`), "not-well-formed", ref);
  }
});

test("raw control characters are not well-formed", () => {
  assert.equal(streamError("<message><body>a\u0001b</body></message>"), "not-well-formed");
  assert.equal(streamError("<message id='\u0000'/>"), "not-well-formed");
  assert.equal(streamError("<message><body>\uFFFF</body></message>"), "not-well-formed");
});

// ---------------------------------------------------------------- text

test("CDATA is kept as text and merged with the text, entities and CDATA around it", () => {
  const el = parseOne(`<message><body>a &amp; <![CDATA[<b>&amp;]]> c<![CDATA[]]><![CDATA[!]]></body></message>`);
  assert.deepEqual(el.getChild("body")?.children, ["a & <b>&amp; c!"]);
});

test("CDATA outside a stanza is not well-formed", () => {
  assert.equal(streamError(`<![CDATA[x]]>`), "not-well-formed");
});

test("']]>' in character data is not well-formed", () => {
  assert.equal(streamError(`<message><body>a]]>b</body></message>`), "not-well-formed");
  assert.equal(errorOf(feed(opened(), "<message><body>a]", "]", ">b</body></message>")), "not-well-formed");
});

test("line breaks are normalised: CRLF and CR become LF in text, whitespace becomes a space in attributes", () => {
  const el = parseOne("<message id='a\r\nb\tc'><body>1\r\n2\r3</body></message>");
  assert.equal(el.attrs.id, "a b c");
  assert.equal(el.getChildText("body"), "1\n2\n3");
  // A CRLF split between chunks is still one line break.
  const events = feed(opened(), "<message id='a\r", "\nb'><body>1\r", "\n2</body></message>");
  const [split] = elements(events);
  assert.equal(split?.attrs.id, "a b");
  assert.equal(split?.getChildText("body"), "1\n2");
});

test("whitespace keepalives between stanzas produce no events", () => {
  const p = opened();
  assert.deepEqual(feed(p, " ", "\n", "\r\n\t "), []);
  assert.deepEqual(feed(p, "<presence/>", " ").map((e) => e.kind), ["element"]);
});

test("text between stanzas is not well-formed", () => {
  assert.equal(streamError("hello"), "not-well-formed");
  assert.equal(streamError("&#32;"), "not-well-formed");
});

// ---------------------------------------------------------------- well-formedness

test("a mismatched end tag is not well-formed", () => {
  assert.equal(streamError("<message><body>x</bodx></message>"), "not-well-formed");
  assert.equal(streamError("<message></stream:stream>"), "not-well-formed");
  assert.equal(errorOf(feed(opened(), "<message><body>x</bo", "dy2></message>")), "not-well-formed");
});

test("attribute syntax is enforced", () => {
  assert.equal(streamError("<message id='1' id='2'/>"), "not-well-formed"); // duplicate
  assert.equal(streamError("<message id=1/>"), "not-well-formed"); // unquoted
  assert.equal(streamError("<message id='a<b'/>"), "not-well-formed"); // '<' in a value
  assert.equal(streamError("<message id='1'type='chat'/>"), "not-well-formed"); // no separating space
  assert.equal(streamError("<message id/>"), "not-well-formed"); // no value
  assert.equal(streamError("<message id='1\"/><presence/>"), "not-well-formed"); // quotes do not match
});

test("names are validated", () => {
  assert.equal(streamError("<1message/>"), "not-well-formed");
  assert.equal(streamError("< message/>"), "not-well-formed");
  assert.equal(streamError("<a:b:c xmlns:a='urn:a'/>"), "not-well-formed");
  assert.equal(streamError("<message / >"), "not-well-formed");
});

test("attributes and end tags may carry the whitespace XML allows", () => {
  const el = parseOne("<message\n id = \"1\"\ttype='chat' ><body >x</body\n></message >");
  assert.deepEqual(el.attrs, { id: "1", type: "chat" });
  assert.equal(el.getChildText("body"), "x");
});

test("the stream close produces a close event; anything but whitespace after it is refused", () => {
  const p = opened();
  assert.deepEqual(feed(p, "<presence/></stream:stream>").map((e) => e.kind), ["element", "close"]);
  assert.deepEqual(feed(p, " \n"), []);
  assert.equal(errorOf(feed(p, "<presence/>")), "not-well-formed");
});

test("after an error every write returns nothing until reset", () => {
  const p = opened();
  assert.equal(errorOf(feed(p, "<message><!-- x -->")), "restricted-xml");
  assert.deepEqual(feed(p, "<presence/>"), []);
  p.reset();
  assert.deepEqual(feed(p, HEADER, "<presence/>").map((e) => e.kind), ["open", "element"]);
});

test("reset after a stream restart parses a new header and keeps the limits", () => {
  const p = opened({ maxStanzaBytes: 60 });
  assert.deepEqual(feed(p, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").map((e) => e.kind), ["element"]);
  p.reset();
  const events = feed(p, HEADER);
  assert.deepEqual(events.map((e) => e.kind), ["open"]);
  assert.equal(errorOf(feed(p, `<message><body>${"x".repeat(100)}</body></message>`)), "policy-violation");
});

test("events completed before an error in the same chunk are still returned", () => {
  const events = feed(opened(), "<presence/><message><!-- -->");
  assert.deepEqual(events.map((e) => e.kind), ["element", "error"]);
});

// ---------------------------------------------------------------- namespaces

test("prefixed elements are normalised to local names with a default namespace", () => {
  const iq = parseOne("<iq type='get' id='r1'><foo:query xmlns:foo='jabber:iq:roster'/></iq>");
  assert.equal(iq.attrs.xmlns, undefined);
  const query = iq.elements[0]!;
  assert.equal(query.name, "query");
  assert.deepEqual(query.attrs, { xmlns: "jabber:iq:roster" });
});

test("xmlns is set exactly where an element's namespace differs from its parent's", () => {
  assert.deepEqual(parseOne("<message xmlns='jabber:client' to='a@b'/>").attrs, { to: "a@b" });
  assert.deepEqual(parseOne("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").attrs, { xmlns: "urn:ietf:params:xml:ns:xmpp-tls" });
  const features = parseOne("<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><required/></bind></stream:features>");
  assert.equal(features.name, "features");
  assert.equal(features.attrs.xmlns, STREAMS);
  const bind = features.elements[0]!;
  assert.equal(bind.attrs.xmlns, "urn:ietf:params:xml:ns:xmpp-bind");
  assert.deepEqual(bind.elements[0]!.attrs, {});
  // An unprefixed child of a prefixed element is in the default namespace, not its parent's.
  const q = parseOne("<iq><r:query xmlns:r='jabber:iq:roster'><item/></r:query></iq>").elements[0]!;
  assert.equal(q.elements[0]!.attrs.xmlns, "jabber:client");
  assert.equal(q.toString(), "<query xmlns='jabber:iq:roster'><item xmlns='jabber:client'/></query>");
});

test("prefixed attributes keep their prefix and the declaration they need", () => {
  const el = parseOne("<message xmlns:e='urn:example' xml:lang='en'><body e:hint='x'>hi</body></message>");
  assert.deepEqual(el.attrs, { "xml:lang": "en" });
  assert.deepEqual(el.getChild("body")?.attrs, { "xmlns:e": "urn:example", "e:hint": "x" });
});

test("an undeclared prefix is bad-namespace-prefix", () => {
  assert.equal(streamError("<foo:query/>"), "bad-namespace-prefix");
  assert.equal(streamError("<message foo:bar='1'/>"), "bad-namespace-prefix");
  // A declaration ends with its element.
  assert.equal(streamError("<iq><a:x xmlns:a='urn:a'/><a:y/></iq>"), "bad-namespace-prefix");
});

test("illegal namespace declarations are refused", () => {
  assert.equal(streamError("<message xmlns:xml='urn:other'/>"), "bad-namespace-prefix");
  assert.equal(streamError("<message xmlns:xmlns='urn:x'/>"), "bad-namespace-prefix");
  assert.equal(streamError("<message xmlns:p=''/>"), "bad-namespace-prefix");
  assert.equal(streamError("<message xmlns='http://www.w3.org/2000/xmlns/'/>"), "bad-namespace-prefix");
  assert.equal(streamError("<xmlns:message/>"), "bad-namespace-prefix");
});

test("two prefixed attributes with the same expanded name are not well-formed", () => {
  assert.equal(streamError("<message xmlns:a='urn:x' xmlns:b='urn:x' a:k='1' b:k='2'/>"), "not-well-formed");
});

test("an attribute named __proto__ is kept as an ordinary attribute", () => {
  const el = parseOne("<message __proto__='x' to='a@b'/>");
  assert.equal(Object.getPrototypeOf(el.attrs), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(el.attrs, "__proto__")?.value, "x");
  assert.equal(el.toString(), "<message __proto__='x' to='a@b'/>");
});

// ---------------------------------------------------------------- robustness

/** Damages a stream at random places, with a fixed seed: the same cases every run. */
function mutations(base: string, alphabet: string, count: number): Buffer[] {
  let seed = 20240601;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const out: Buffer[] = [];
  for (let iter = 0; iter < count; iter++) {
    let s = base;
    for (let m = 1 + rnd(3); m > 0; m--) {
      const pos = rnd(s.length);
      const op = rnd(3);
      if (op === 0) s = s.slice(0, pos) + s.slice(pos + 1 + rnd(5));
      else if (op === 1) s = s.slice(0, pos) + alphabet[rnd(alphabet.length)]! + s.slice(pos);
      else s = s.slice(0, pos) + s.slice(pos, pos + rnd(20)) + s.slice(pos);
    }
    out.push(Buffer.from(s));
  }
  return out;
}

/** Parses buf whole and in pieces of 1–30 bytes; the two must agree, and nothing may throw. */
function assertSplitIndependent(buf: Buffer, limits?: Partial<ParserLimits>): void {
  const whole = feed(new StreamParser(limits), buf);
  const p = new StreamParser(limits);
  const pieces: StreamEvent[] = [];
  for (let i = 0, n = 1; i < buf.length; i += n, n = 1 + ((n * 7 + i) % 30)) pieces.push(...p.write(buf.subarray(i, i + n)));
  assert.deepEqual(pieces, whole, JSON.stringify(buf.toString("latin1")));
}

test("damaged streams never throw, and their events do not depend on how the input is split", () => {
  const base = `${HEADER} ${RICH_STANZA}\n<iq type='get' id='1'><foo:query xmlns:foo='jabber:iq:roster'/></iq><presence/></stream:stream>`;
  const cases = mutations(base, `<>/='"&;#x![]?:- \r\n\tabcxmlnsé😀\u0001`, 300);
  // Some with a random byte as well, so invalid UTF-8 lands anywhere.
  cases.forEach((buf, k) => {
    if (k % 5 === 0) buf[(k * 7919) % buf.length] = (k * 31) & 0xff;
  });
  for (const buf of cases) assertSplitIndependent(buf);
});

test("limit errors do not depend on how the input is split either", () => {
  // ASCII only: with multi-byte text, a stanza that is both too large and malformed past the
  // limit may be reported either way (both are fatal), depending on where a chunk ended.
  const base = `${HEADER} <message to='a@b' type='chat'><body>hello &amp; <![CDATA[x]]></body><x xmlns='urn:x'><y a='1' b='2'/></x></message><presence/></stream:stream>`;
  const limits = { maxStanzaBytes: 120, maxDepth: 3, maxChildren: 3, maxAttributes: 3 };
  for (const buf of mutations(base, `<>/='"&;#x![]?:- \r\n\tabcxmlns`, 300)) assertSplitIndependent(buf, limits);
});
