// The parser's working arrays are shared by all parsers while they are between stanzas, and
// copied to a parser of its own only when a chunk ends inside a stanza or tag (stream-parser.ts,
// SHARED). These tests interleave parsers so that each one's saved state must survive the others
// using the shared arrays in between.
import { test } from "node:test";
import assert from "node:assert/strict";
import { StreamParser } from "../../../src/xml/stream-parser.js";
import type { StreamEvent } from "../../../src/xml/stream-parser.js";

const HEADER_A =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
  "xmlns:ext='urn:example:stream-level' to='example.com' version='1.0'>";
const HEADER_B =
  "<s:stream xmlns='jabber:server' xmlns:s='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' " +
  "xmlns:other='urn:example:b' to='b.example' version='1.0'>";

const STANZAS_A =
  "<message to='x@example.com' type='chat' id='m1'><body>hi &amp; bye</body><ext:data a='1' ext:b='2'/></message>" +
  " <iq type='get' id='q1'><query xmlns='jabber:iq:roster' ver='v&apos;1'><item jid='y@example.com'><group>G</group></item></query></iq>\n" +
  "<presence><show>away</show><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v'/></presence>" +
  "</stream:stream>";
const STANZAS_B =
  "<db:result from='b.example' to='example.com'>key</db:result>" +
  "<message xmlns:p='urn:example:p' p:attr='v' from='u@b.example'><p:x><p:y deep='1'><z/></p:y></p:x><body>text</body></message>" +
  "<other:thing k1='1' k2='2' k3='3' k4='4' k5='5'><other:inner/></other:thing>" +
  "</s:stream>";

/** Events as comparable plain data (elements serialised). */
function plain(events: StreamEvent[]): unknown[] {
  return events.map((e) => (e.kind === "element" ? { kind: "element", el: e.el.toString(), bytes: e.bytes } : e));
}

function whole(input: string): unknown[] {
  return plain(new StreamParser().write(Buffer.from(input)));
}

/** Feeds `a` and `b` to two parsers alternately in pieces of the given sizes. */
function interleaved(a: string, sizeA: number, b: string, sizeB: number): [unknown[], unknown[]] {
  const pa = new StreamParser();
  const pb = new StreamParser();
  const outA: StreamEvent[] = [];
  const outB: StreamEvent[] = [];
  const bufA = Buffer.from(a);
  const bufB = Buffer.from(b);
  let i = 0;
  let j = 0;
  for (let round = 0; round < bufA.length + bufB.length && (i < bufA.length || j < bufB.length); round++) {
    if (i < bufA.length) outA.push(...pa.write(bufA.subarray(i, (i += sizeA))));
    if (j < bufB.length) outB.push(...pb.write(bufB.subarray(j, (j += sizeB))));
  }
  return [plain(outA), plain(outB)];
}

test("two parsers fed alternately, in pieces of every small size, give the events each gives alone", () => {
  const a = HEADER_A + STANZAS_A;
  const b = HEADER_B + STANZAS_B;
  const expectedA = whole(a);
  const expectedB = whole(b);
  assert.equal(expectedA.length, 5); // open, three stanzas, close
  assert.equal(expectedB.length, 5);
  const sizes: Array<[number, number]> = [[1, 1], [1, 7], [3, 2], [5, 11], [13, 1], [40, 9], [1000, 1]];
  for (const [sizeA, sizeB] of sizes) {
    const [gotA, gotB] = interleaved(a, sizeA, b, sizeB);
    assert.deepEqual(gotA, expectedA, `parser A, pieces of ${sizeA} and ${sizeB}`);
    assert.deepEqual(gotB, expectedB, `parser B, pieces of ${sizeA} and ${sizeB}`);
  }
});

test("a parser left inside an attribute value keeps it while another parses deeper, larger stanzas", () => {
  const pa = new StreamParser();
  const pb = new StreamParser();
  pa.write(Buffer.from(HEADER_A));
  pb.write(Buffer.from(HEADER_B));
  assert.deepEqual(pa.write(Buffer.from("<message to='x@example.com' id='m")), []);
  const many = Array.from({ length: 20 }, (_, k) => `a${k}='${k}'`).join(" ");
  const deep = "<p:x>".repeat(10) + "t" + "</p:x>".repeat(10);
  const eb = pb.write(Buffer.from(`<message xmlns:p='urn:example:p' ${many}>${deep}</message>`));
  assert.equal(eb.length, 1);
  const ea = pa.write(Buffer.from("1'><ext:data/></message>"));
  assert.deepEqual(plain(ea), whole(HEADER_A + "<message to='x@example.com' id='m1'><ext:data/></message>").slice(1));
});

test("stream-level prefixes and the stream's name survive other streams between chunks", () => {
  const pa = new StreamParser();
  const pb = new StreamParser();
  pa.write(Buffer.from(HEADER_A));
  pb.write(Buffer.from(HEADER_B));
  // B's stanzas declare and close prefixes of their own in the shared arrays.
  assert.equal(pb.write(Buffer.from("<message xmlns:ext='urn:other'><ext:x/></message>")).length, 1);
  const [ev] = pa.write(Buffer.from("<ext:data/>"));
  assert.equal(ev?.kind, "element");
  assert.equal((ev as { el: { attrs: Record<string, string> } }).el.attrs.xmlns, "urn:example:stream-level");
  // The close tag is checked against this stream's own header name, not the other stream's.
  assert.deepEqual(pb.write(Buffer.from("</stream:stream>")).map((e) => e.kind), ["error"]);
  assert.deepEqual(pa.write(Buffer.from("</stream:stream>")).map((e) => e.kind), ["close"]);
});

test("a stream header split across chunks is completed after another parser used the shared arrays", () => {
  const a = HEADER_A + "<presence/>";
  const pa = new StreamParser();
  const pb = new StreamParser();
  const cut = a.indexOf("xmlns:ext") + 4;
  assert.deepEqual(pa.write(Buffer.from(a.slice(0, cut))), []);
  pb.write(Buffer.from(HEADER_B + STANZAS_B));
  assert.deepEqual(plain(pa.write(Buffer.from(a.slice(cut)))), whole(a));
});

test("a parser that failed, then was reset, parses a new stream while others hold state", () => {
  const pa = new StreamParser();
  const pb = new StreamParser();
  pa.write(Buffer.from(HEADER_A));
  pb.write(Buffer.from(HEADER_B + "<message><body>half"));
  assert.equal(pa.write(Buffer.from("<message><a></b></message>")).at(-1)?.kind, "error");
  pa.reset();
  assert.deepEqual(plain(pa.write(Buffer.from(HEADER_A + "<presence/>"))), whole(HEADER_A + "<presence/>"));
  const eb = pb.write(Buffer.from(" done</body></message>"));
  assert.deepEqual(plain(eb), whole(HEADER_B + "<message><body>half done</body></message>").slice(1));
});

test("streams with different header declarations never share them, whatever the URIs contain", () => {
  const header = (decls: string) =>
    `<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' ${decls} to='example.com' version='1.0'>`;
  const px = new StreamParser();
  const py = new StreamParser();
  px.write(Buffer.from(header("xmlns:a='urn:x b urn:y'")));
  py.write(Buffer.from(header("xmlns:a='urn:x' xmlns:b='urn:y'")));
  // Another stream overwrites the shared arrays' declaration slots in between.
  new StreamParser().write(Buffer.from(header("xmlns:c='urn:c' xmlns:d='urn:d' xmlns:e='urn:e'")));
  const [ey] = py.write(Buffer.from("<b:el/>"));
  assert.equal(ey?.kind, "element");
  assert.equal((ey as { el: { attrs: Record<string, string> } }).el.attrs.xmlns, "urn:y");
  const ex = px.write(Buffer.from("<b:el/>"));
  assert.equal((ex.at(-1) as { condition?: string } | undefined)?.condition, "bad-namespace-prefix");
  const pz = new StreamParser();
  pz.write(Buffer.from(header("xmlns:a='urn:x b urn:y'")));
  const [ez] = pz.write(Buffer.from("<a:el/>"));
  assert.equal((ez as { el: { attrs: Record<string, string> } }).el.attrs.xmlns, "urn:x b urn:y");
});
