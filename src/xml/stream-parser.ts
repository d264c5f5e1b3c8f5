// The XMPP stream parser: bytes in, stream events out. One instance per connection, on the hot
// path for every byte, and the security boundary for everything above it (RFC 6120 §11).
//
// A hand-written, resumable state machine over the decoded text of each chunk:
// - decoding is streaming and fatal: a character split across TCP reads is held back and arrives
//   whole, and invalid UTF-8 stops the stream (after the text before it). No TextDecoder: an ASCII
//   chunk (nearly every one) becomes a string with one latin1 copy, others are checked with
//   buffer.isUtf8 — cheaper per chunk, and no ICU converter (~1.3 KB RSS) kept per connection;
// - each state consumes as much as it can in one tight loop and takes tokens as slices of the
//   chunk; only a token cut by the end of a chunk is carried over, as a string piece;
// - restricted XML (RFC 6120 §11.1): no DTD, no comments, no processing instructions other than
//   the optional XML declaration, no entities beyond the five predefined ones;
// - limits: every byte belongs to a "segment" (the stream header, a stanza, or the whitespace
//   between stanzas) with a byte budget. The scan of a chunk is bounded to where the budget
//   must be exhausted, so an oversized stanza is refused without reading past its limit, and
//   exact byte counts are taken whenever a segment ends or a chunk is exhausted.

import { isAscii, isUtf8 } from "node:buffer";
import type { Attrs } from "./element.js";
import { Element } from "./element.js";
import { NS } from "./ns.js";
import {
  ASCII_NAME_CLASS,
  NC_COLON,
  NC_START,
  XMLNS_NAMESPACE,
  internName,
  isName,
  isNameCode,
  isNameStartCode,
  isQName,
  normalizeAttrWhitespace,
  normalizeNewlines,
  resolveEntity,
} from "./parser-chars.js";
import { incompleteTail, isUtf8Prefix, validUtf8Length } from "./parser-utf8.js";
import { checkXmlDecl } from "./parser-xmldecl.js";

export interface ParserLimits {
  /** Bytes on the wire of one depth-1 element (stanza or nonza), from its `<` to its last `>`. */
  maxStanzaBytes: number;
  /** Nesting levels inside a stanza; the stanza itself is level 1. */
  maxDepth: number;
  /** Elements inside one stanza, at any level, not counting the stanza itself. */
  maxChildren: number;
  /** Attributes on one element, namespace declarations included. */
  maxAttributes: number;
}

export const DEFAULT_LIMITS: ParserLimits = Object.freeze({
  maxStanzaBytes: 262_144,
  maxDepth: 32,
  maxChildren: 25_000,
  maxAttributes: 64,
});

export type ParserErrorCondition =
  | "not-well-formed"
  | "policy-violation"
  | "restricted-xml"
  | "invalid-namespace"
  | "bad-namespace-prefix"
  | "unsupported-encoding"
  | "invalid-xml";

export type StreamEvent =
  | { kind: "open"; name: string; ns: string; attrs: Attrs }
  | { kind: "element"; el: Element; bytes: number }
  | { kind: "close" }
  | { kind: "error"; condition: ParserErrorCondition; text: string };

/** Everything before the end of the stream header (XML declaration, header tag) must fit here. */
const MAX_HEADER_BYTES = 8192;
/** Longest entity reference body between `&` and `;` (`#x10FFFF` with room for leading zeros). */
const MAX_ENTITY_CHARS = 32;

// States. Content states first; the others are inside markup.
const S_IDLE = 0; // outside any stanza: prolog, between stanzas, after the close; whitespace only
const S_CONTENT = 1; // character data inside a stanza
const S_LT = 2; // after `<`
const S_START_NAME = 3;
const S_TAG = 4; // inside a start tag, between attributes
const S_ATTR_NAME = 5;
const S_ATTR_EQ = 6; // after an attribute name, before `=`
const S_ATTR_QUOTE = 7; // after `=`, before the quote
const S_ATTR_VALUE = 8;
const S_EMPTY = 9; // after `/` in a start tag
const S_END_NAME = 10;
const S_END_SPACE = 11; // after the name in an end tag
const S_BANG = 12; // after `<!`: only `[CDATA[` may follow
const S_CDATA = 13;
const S_PI_TARGET = 14; // after `<?` at the very start: only `xml` is acceptable
const S_XMLDECL = 15;
const S_ENTITY = 16;
const S_FAILED = 17;

// How far into the document: the XML declaration must come first (after an optional BOM).
const DOC_FRESH = 0;
const DOC_AFTER_BOM = 1;
const DOC_STARTED = 2;

// Byte budgets ("segments").
const SEG_HEADER = 0;
const SEG_IDLE = 1;
const SEG_STANZA = 2;

// What an attribute is, decided once when its name is read.
const A_PLAIN = 0;
const A_PREFIXED = 1; // p:name
const A_DEFAULT_DECL = 2; // xmlns
const A_PREFIX_DECL = 3; // xmlns:p

const CDATA_OPEN = "CDATA[";
const NO_BYTES = Buffer.alloc(0);
/**
 * The namespaces chatctl knows, as constants. Strings the parser takes are slices of the decoded
 * chunk, and V8 keeps a whole chunk alive for as long as one slice of it lives: a stream's default
 * namespace lives as long as the stream, so it is swapped for the constant when there is one.
 */
const KNOWN_NS = new Map<string, string>(Object.values(NS).map((ns) => [ns, ns]));

/**
 * The parser's working arrays (attributes of the tag being read, open elements by depth, prefix
 * declarations in scope). Parsing a chunk is synchronous and never calls out, so every parser
 * works in this one shared set while it parses; only a parser whose chunk ended inside a stanza
 * (or a tag) keeps a private copy until it is back between stanzas. Thousands of idle sessions
 * would otherwise hold eleven small arrays each (about 2 KB per session, bench W2).
 */
const SHARED = {
  attrNames: [] as string[],
  attrValues: [] as string[],
  attrKinds: [] as number[],
  attrColons: [] as number[],
  qnames: [] as string[],
  nsOf: [] as string[],
  defaultNsOf: [] as string[],
  nsMark: [] as number[],
  elOf: [] as Array<Element | null>,
  nsPrefixes: [] as string[],
  nsUris: [] as string[],
};
/**
 * What the parser's `events` points at between writes (nothing is pushed outside write()), so an
 * idle session does not keep its last stanza alive through the last write's event list.
 */
const NO_EVENTS: StreamEvent[] = Object.freeze([]) as unknown as StreamEvent[];
const NO_DECLS: readonly string[] = Object.freeze([]);

/** Limits objects shared by parsers with the same limits (every session of a server has the same few). */
const LIMITS_CACHE = new Map<string, ParserLimits>();
const LIMITS_CACHE_MAX = 32;

function sharedLimits(l: ParserLimits): ParserLimits {
  const key = `${l.maxStanzaBytes} ${l.maxDepth} ${l.maxChildren} ${l.maxAttributes}`;
  const known = LIMITS_CACHE.get(key);
  if (known !== undefined) return known;
  const frozen = Object.freeze({ ...l });
  if (LIMITS_CACHE.size < LIMITS_CACHE_MAX) LIMITS_CACHE.set(key, frozen);
  return frozen;
}

/**
 * Names and namespaces from stream headers, shared by the streams that send the same ones (all
 * clients send `stream:stream` and the same prefixes). Bounded, and only short strings, as the
 * contents come from the network.
 */
const HEADER_STRINGS = new Map<string, string>();
const HEADER_DECLS = new Map<string, readonly string[]>();
const HEADER_CACHE_MAX = 256;
const HEADER_CACHE_MAX_CHARS = 256;

/**
 * A string with no tie to the chunk it was cut from: V8 keeps a whole chunk alive while one slice
 * of it lives, and the stream header's names live as long as the stream.
 */
function detached(s: string): string {
  const known = KNOWN_NS.get(s) ?? HEADER_STRINGS.get(s);
  if (known !== undefined) return known;
  const copy = Buffer.from(s, "utf8").toString("utf8");
  if (HEADER_STRINGS.size < HEADER_CACHE_MAX && s.length <= HEADER_CACHE_MAX_CHARS) HEADER_STRINGS.set(copy, copy);
  return copy;
}

/** The flat prefix/uri list of a stream's own declarations, shared between streams that declare the same. */
function sharedDecls(prefixes: string[], uris: string[], n: number): readonly string[] {
  if (n === 0) return NO_DECLS;
  let key = "";
  // U+0000 cannot occur in a name or an attribute value (XML 1.0 §2.2), so keys cannot collide.
  for (let k = 0; k < n; k++) key += prefixes[k] + "\u0000" + uris[k] + "\u0000";
  const known = HEADER_DECLS.get(key);
  if (known !== undefined) return known;
  const decls: string[] = [];
  for (let k = 0; k < n; k++) decls.push(detached(prefixes[k]!), detached(uris[k]!));
  Object.freeze(decls);
  if (HEADER_DECLS.size < HEADER_CACHE_MAX && key.length <= HEADER_CACHE_MAX_CHARS) HEADER_DECLS.set(key, decls);
  return decls;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** Input quoted in an error text, cut short: names and values can be as long as a stanza. */
function brief(s: string): string {
  return s.length <= 64 ? s : s.slice(0, 64) + "…";
}

// `__proto__` is a legal attribute name; assigning it would hit Object.prototype's setter.
function putAttr(attrs: Attrs, name: string, value: string): void {
  if (name === "__proto__") Object.defineProperty(attrs, name, { value, enumerable: true, writable: true, configurable: true });
  else attrs[name] = value;
}

export class StreamParser {
  private limits: ParserLimits;

  // Input.
  private held: Buffer = NO_BYTES; // an unfinished character at the end of the last chunk
  private events: StreamEvent[] = NO_EVENTS;
  private cur = ""; // the decoded text being parsed
  private ascii = true; // cur is pure ASCII: char index = byte offset
  private end = 0; // scan bound in cur: the end of cur, or where the segment's budget runs out
  private last1 = 0; // last two characters before cur (`]]>` and `?>` across chunk boundaries)
  private last2 = 0;

  // Position.
  private state = S_IDLE;
  private depth = 0; // open elements, the stream header included
  private closed = false; // </stream:stream> seen
  private docStart = DOC_FRESH;
  private declAllowed = false; // the current `<` was the first character

  // Segment accounting.
  private segKind = SEG_HEADER;
  private segStart = 0; // index in cur where the segment starts (0 when it began earlier)
  private segBytesBefore = 0; // bytes of the segment in earlier chunks

  // Tokens cut by a chunk boundary.
  private nameBuf = "";
  private valBuf = "";
  private textBuf = ""; // the text run of the current element (text, entities, CDATA merged)
  private entBuf = "";
  private declBuf = "";
  private pendingCR = false; // the previous piece ended in CR at a chunk boundary (CRLF split)
  private entReturn = S_CONTENT;
  private quote = 0;
  private matchPos = 0; // progress through a fixed string (CDATA opener, `xml` PI target)

  // The name being read: index of its colon (-1 none yet, -2 more than one).
  private colonAt = -1;

  // The start tag being read.
  private tagName = "";
  private tagColon = -1;
  // Scratch arrays: SHARED's, or this parser's own while it is inside a stanza (ownsScratch).
  private attrNames: string[] = SHARED.attrNames;
  private attrValues: string[] = SHARED.attrValues;
  private attrKinds: number[] = SHARED.attrKinds;
  private attrColons: number[] = SHARED.attrColons;
  private attrCount = 0;
  private tagHasDecl = false;
  private sawSpace = false;

  // Open elements by depth index (0 = the stream header). nsOf[0] is the stream's default
  // namespace: the "parent namespace" of stanzas.
  private qnames: string[] = SHARED.qnames;
  private nsOf: string[] = SHARED.nsOf;
  private defaultNsOf: string[] = SHARED.defaultNsOf;
  private nsMark: number[] = SHARED.nsMark;
  private elOf: Array<Element | null> = SHARED.elOf;
  private childCount = 0; // elements inside the current stanza

  // In-scope prefix declarations, innermost last.
  private nsPrefixes: string[] = SHARED.nsPrefixes;
  private nsUris: string[] = SHARED.nsUris;
  private nsTop = 0;

  // Between stanzas the scratch arrays are not this parser's: what it must remember of them (the
  // stream header, at depth index 0, and the prefixes it declared) is parked here.
  private ownsScratch = false;
  private streamQName = "";
  private streamNs = "";
  private parkedDecls: readonly string[] = NO_DECLS; // prefix, uri, prefix, uri …

  constructor(limits?: Partial<ParserLimits>) {
    this.limits = DEFAULT_LIMITS;
    if (limits) this.setLimits(limits);
    this.reset();
  }

  setLimits(limits: Partial<ParserLimits>): void {
    const next = { ...this.limits };
    for (const key of ["maxStanzaBytes", "maxDepth", "maxChildren", "maxAttributes"] as const) {
      const v = limits[key];
      if (v === undefined) continue;
      if (!(v >= 0)) throw new RangeError(`parser limit ${key} must be a non-negative number, got ${v}`);
      next[key] = v;
    }
    this.limits = sharedLimits(next);
  }

  reset(): void {
    this.held = NO_BYTES;
    this.events = NO_EVENTS;
    this.cur = "";
    this.last1 = this.last2 = 0;
    this.state = S_IDLE;
    this.depth = 0;
    this.closed = false;
    this.docStart = DOC_FRESH;
    this.declAllowed = false;
    this.segKind = SEG_HEADER;
    this.segStart = 0;
    this.segBytesBefore = 0;
    this.nameBuf = this.valBuf = this.textBuf = this.entBuf = this.declBuf = "";
    this.pendingCR = false;
    this.attrCount = 0;
    this.childCount = 0;
    this.nsTop = 0;
    this.useSharedScratch();
    this.streamQName = this.streamNs = "";
    this.parkedDecls = NO_DECLS;
  }

  write(chunk: Buffer): StreamEvent[] {
    if (this.state === S_FAILED) return [];
    const events: StreamEvent[] = (this.events = []);
    if (!this.ownsScratch) this.unpark();
    try {
      this.decode(chunk);
    } finally {
      this.events = NO_EVENTS;
      this.cur = "";
      this.settle();
    }
    return events;
  }

  // ---------------------------------------------------------------- scratch sharing

  private useSharedScratch(): void {
    this.ownsScratch = false;
    this.attrNames = SHARED.attrNames;
    this.attrValues = SHARED.attrValues;
    this.attrKinds = SHARED.attrKinds;
    this.attrColons = SHARED.attrColons;
    this.qnames = SHARED.qnames;
    this.nsOf = SHARED.nsOf;
    this.defaultNsOf = SHARED.defaultNsOf;
    this.nsMark = SHARED.nsMark;
    this.elOf = SHARED.elOf;
    this.nsPrefixes = SHARED.nsPrefixes;
    this.nsUris = SHARED.nsUris;
  }

  /** Puts back into the shared arrays what park() kept (the parser is between stanzas). */
  private unpark(): void {
    if (this.depth > 0) {
      this.qnames[0] = this.streamQName;
      this.nsOf[0] = this.defaultNsOf[0] = this.streamNs;
      this.nsMark[0] = 0;
      this.elOf[0] = null;
    }
    const decls = this.parkedDecls;
    for (let k = 0, j = 0; j < decls.length; k++, j += 2) {
      this.nsPrefixes[k] = decls[j]!;
      this.nsUris[k] = decls[j + 1]!;
    }
  }

  /**
   * After a chunk: between stanzas (or failed) the parser needs nothing of the scratch arrays but
   * the stream header's entries, which it parks; inside a stanza or tag it copies what is in use
   * of the shared arrays to arrays of its own, as the next parser to write will overwrite them.
   */
  private settle(): void {
    if (this.state === S_IDLE || this.state === S_FAILED) {
      this.park();
      return;
    }
    if (this.ownsScratch) return;
    const d = this.depth;
    const a = this.attrCount + 1; // the attribute whose name is read but whose value is not yet
    this.ownsScratch = true;
    this.attrNames = this.attrNames.slice(0, a);
    this.attrValues = this.attrValues.slice(0, this.attrCount);
    this.attrKinds = this.attrKinds.slice(0, a);
    this.attrColons = this.attrColons.slice(0, a);
    this.qnames = this.qnames.slice(0, d);
    this.nsOf = this.nsOf.slice(0, d);
    this.defaultNsOf = this.defaultNsOf.slice(0, d);
    this.nsMark = this.nsMark.slice(0, d);
    this.elOf = this.elOf.slice(0, d);
    this.nsPrefixes = this.nsPrefixes.slice(0, this.nsTop);
    this.nsUris = this.nsUris.slice(0, this.nsTop);
  }

  private park(): void {
    // Nothing more is parsed after a failure, and between stanzas no tag is half read.
    for (let k = 0; k < this.attrCount; k++) this.attrValues[k] = "";
    this.attrCount = 0;
    if (this.state === S_FAILED) {
      this.depth = this.nsTop = 0;
    } else if (this.depth > 0) {
      this.streamQName = this.qnames[0]!;
      this.streamNs = this.nsOf[0]!;
    }
    const n = this.nsTop;
    const decls = this.parkedDecls;
    let same = decls.length === 2 * n;
    for (let k = 0; same && k < n; k++) same = decls[2 * k] === this.nsPrefixes[k] && decls[2 * k + 1] === this.nsUris[k];
    if (!same) this.parkedDecls = sharedDecls(this.nsPrefixes, this.nsUris, n);
    if (this.ownsScratch) this.useSharedScratch();
  }

  private decode(chunk: Buffer): void {
    let s: string;
    if (this.held.length === 0 && isAscii(chunk)) {
      // ASCII: one byte per character, so latin1 gives exactly the UTF-8 text.
      this.ascii = true;
      s = chunk.toString("latin1");
    } else {
      // A character cut by the end of the previous chunk is completed by this one; one cut by the
      // end of this chunk waits for the next (when it can still become a valid character).
      const bytes = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
      const n = incompleteTail(bytes);
      const body = n === 0 ? bytes : bytes.subarray(0, bytes.length - n);
      if (!isUtf8(body) || (n > 0 && !isUtf8Prefix(bytes.subarray(bytes.length - n)))) {
        this.invalidUtf8(chunk);
        return;
      }
      this.ascii = false;
      s = body.toString("utf8");
      this.held = n === 0 ? NO_BYTES : Buffer.from(bytes.subarray(bytes.length - n));
    }
    this.parse(s);
  }

  /**
   * The chunk (after what was held back before it) is not UTF-8. Parse the valid text before the
   * bad bytes as if the chunk had ended there, so events and errors do not depend on where the
   * input was split, then fail.
   */
  private invalidUtf8(chunk: Buffer): void {
    const bytes = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    const valid = bytes.subarray(0, validUtf8Length(bytes));
    this.ascii = false;
    this.parse(valid.toString("utf8"));
    this.cur = "";
    if (this.state !== S_FAILED) this.fail("unsupported-encoding", "input is not valid UTF-8");
  }

  // ---------------------------------------------------------------- driver

  private parse(s: string): void {
    const len = s.length;
    this.cur = s;
    this.segStart = 0;
    this.end = this.scanBound();
    let i = 0;
    while (i < len) {
      if (i >= this.end) {
        this.overLimit();
        return;
      }
      switch (this.state) {
        case S_CONTENT:
          i = this.content(s, i);
          break;
        case S_IDLE:
          i = this.idle(s, i);
          break;
        case S_LT:
          i = this.afterLt(s, i);
          break;
        case S_START_NAME:
          i = this.startName(s, i);
          break;
        case S_TAG:
          i = this.inTag(s, i);
          break;
        case S_ATTR_NAME:
          i = this.attrName(s, i);
          break;
        case S_ATTR_EQ:
          i = this.attrEq(s, i);
          break;
        case S_ATTR_QUOTE:
          i = this.attrQuote(s, i);
          break;
        case S_ATTR_VALUE:
          i = this.attrValue(s, i);
          break;
        case S_EMPTY:
          i = s.charCodeAt(i) === 0x3e ? this.finishStartTag(true, i + 1) : this.fail("not-well-formed", "expected '>' after '/'");
          break;
        case S_END_NAME:
          i = this.endName(s, i);
          break;
        case S_END_SPACE:
          i = this.endSpace(s, i);
          break;
        case S_BANG:
          i = this.bang(s, i);
          break;
        case S_CDATA:
          i = this.cdata(s, i);
          break;
        case S_PI_TARGET:
          i = this.piTarget(s, i);
          break;
        case S_XMLDECL:
          i = this.xmlDecl(s, i);
          break;
        case S_ENTITY:
          i = this.entity(s, i);
          break;
        default:
          return; // S_FAILED
      }
    }
    if (this.state === S_FAILED) return;
    // Chunk exhausted: carry the segment's exact byte count into the next chunk.
    const used = this.segBytesBefore + this.bytes(this.segStart, len);
    if (used > this.segMax()) {
      this.overLimit();
      return;
    }
    this.segBytesBefore = used;
    if (len >= 2) {
      this.last1 = s.charCodeAt(len - 1);
      this.last2 = s.charCodeAt(len - 2);
    } else if (len === 1) {
      this.last2 = this.last1;
      this.last1 = s.charCodeAt(0);
    }
  }

  /** Character k positions before index i of s, looking back into the previous chunk (k ≤ 2). */
  private charBefore(s: string, i: number, k: number): number {
    const j = i - k;
    if (j >= 0) return s.charCodeAt(j);
    return j === -1 ? this.last1 : this.last2;
  }

  private fail(condition: ParserErrorCondition, text: string): number {
    this.events.push({ kind: "error", condition, text });
    this.state = S_FAILED;
    this.textBuf = this.valBuf = this.nameBuf = this.declBuf = "";
    this.elOf.length = 0;
    return Infinity;
  }

  // ---------------------------------------------------------------- byte budgets

  private segMax(): number {
    return this.segKind === SEG_HEADER ? MAX_HEADER_BYTES : this.limits.maxStanzaBytes;
  }

  /** Bytes of cur between two indexes. */
  private bytes(from: number, to: number): number {
    if (this.ascii) return to - from;
    return Buffer.byteLength(from === 0 && to === this.cur.length ? this.cur : this.cur.slice(from, to));
  }

  /**
   * Every character is at least one byte, so once the segment reaches this index it has
   * certainly exceeded its budget; the scan never goes further.
   */
  private scanBound(): number {
    const bound = this.segStart + (this.segMax() - this.segBytesBefore) + 1;
    return bound < this.cur.length ? bound : this.cur.length;
  }

  private beginSegment(kind: number, at: number): void {
    this.segKind = kind;
    this.segStart = at;
    this.segBytesBefore = 0;
    this.end = this.scanBound();
  }

  /** Exact size of the segment ending just before index `to` of cur. */
  private segmentBytes(to: number): number {
    return this.segBytesBefore + this.bytes(this.segStart, to);
  }

  private overLimit(): void {
    if (this.segKind === SEG_HEADER) this.fail("policy-violation", `stream header exceeds ${MAX_HEADER_BYTES} bytes`);
    else if (this.segKind === SEG_STANZA) this.fail("policy-violation", `stanza exceeds ${this.limits.maxStanzaBytes} bytes`);
    else this.fail("policy-violation", `more than ${this.limits.maxStanzaBytes} bytes of whitespace between stanzas`);
  }

  // ---------------------------------------------------------------- character data

  /** Outside stanzas only whitespace may appear (keepalives); it produces nothing. */
  private idle(s: string, i: number): number {
    const end = this.end;
    if (this.docStart !== DOC_STARTED) {
      if (this.docStart === DOC_FRESH && s.charCodeAt(i) === 0xfeff) {
        this.docStart = DOC_AFTER_BOM; // a byte order mark may precede the XML declaration
        return i + 1;
      }
      this.docStart = DOC_STARTED;
      if (s.charCodeAt(i) === 0x3c) {
        this.declAllowed = true;
        this.state = S_LT;
        return i + 1;
      }
    }
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (c !== 0x3c) return this.fail("not-well-formed", this.depth === 0 ? "text outside the stream" : "text between stanzas");
      if (this.closed) return this.fail("not-well-formed", "data after the end of the stream");
      if (this.depth === 1) this.beginSegment(SEG_STANZA, i);
      this.declAllowed = false;
      this.state = S_LT;
      return i + 1;
    }
    return i;
  }

  private content(s: string, i: number): number {
    const end = this.end;
    const start = i;
    let cr = false;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x3e) {
        if (c > 0xfffd) return this.badChar(c);
        continue;
      }
      if (c >= 0x20) {
        if (c === 0x3c) {
          this.addText(s, start, i, cr, false);
          this.state = S_LT;
          return i + 1;
        }
        if (c === 0x26) {
          this.addText(s, start, i, cr, false);
          this.beginEntity(S_CONTENT);
          return i + 1;
        }
        if (c === 0x3e && this.charBefore(s, i, 1) === 0x5d && this.charBefore(s, i, 2) === 0x5d) {
          return this.fail("not-well-formed", "']]>' in character data");
        }
        continue;
      }
      if (c === 0x0d) cr = true;
      else if (c !== 0x0a && c !== 0x09) return this.badChar(c);
    }
    this.addText(s, start, i, cr, true);
    return i;
  }

  /** Appends a raw piece of character data to the current text run. */
  private addText(s: string, from: number, to: number, cr: boolean, atBoundary: boolean): void {
    if (this.pendingCR) {
      this.pendingCR = false;
      if (from < to && s.charCodeAt(from) === 0x0a) from++; // second half of a split CRLF
    }
    if (from >= to) return;
    if (atBoundary && cr && s.charCodeAt(to - 1) === 0x0d) this.pendingCR = true;
    const piece = cr ? normalizeNewlines(s.slice(from, to)) : s.slice(from, to);
    this.textBuf = this.textBuf === "" ? piece : this.textBuf + piece;
  }

  /** Ends the text run: it becomes one text node of the innermost open element. */
  private commitText(): void {
    this.pendingCR = false;
    if (this.textBuf === "") return;
    this.elOf[this.depth - 1]!.children.push(this.textBuf);
    this.textBuf = "";
  }

  private badChar(c: number): number {
    return this.fail("not-well-formed", `character U+${c.toString(16).toUpperCase().padStart(4, "0")} is not allowed in XML`);
  }

  private cdata(s: string, i: number): number {
    const end = this.end;
    const start = i;
    let cr = false;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x3e) {
        if (c > 0xfffd) return this.badChar(c);
        continue;
      }
      if (c < 0x20) {
        if (c === 0x0d) cr = true;
        else if (c !== 0x0a && c !== 0x09) return this.badChar(c);
        continue;
      }
      if (c === 0x3e && this.charBefore(s, i, 1) === 0x5d && this.charBefore(s, i, 2) === 0x5d) {
        const cut = i - 2;
        if (cut >= start) this.addText(s, start, cut, cr, false);
        // Part of the `]]` arrived with the previous chunk and already joined the run.
        else this.textBuf = this.textBuf.slice(0, this.textBuf.length - (start - cut));
        this.pendingCR = false;
        this.state = S_CONTENT;
        return i + 1;
      }
    }
    this.addText(s, start, i, cr, true);
    return i;
  }

  // ---------------------------------------------------------------- entity references

  private beginEntity(returnTo: number): void {
    this.entReturn = returnTo;
    this.entBuf = "";
    this.state = S_ENTITY;
  }

  private entity(s: string, i: number): number {
    const end = this.end;
    const start = i;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x3b) {
        const body = this.entBuf === "" ? s.slice(start, i) : this.entBuf + s.slice(start, i);
        this.entBuf = "";
        const value = resolveEntity(body);
        if (value === null) {
          if (isName(body)) return this.fail("restricted-xml", `undefined entity '&${brief(body)};'`);
          return this.fail("not-well-formed", `malformed reference '&${brief(body)};'`);
        }
        this.pendingCR = false;
        if (this.entReturn === S_CONTENT) this.textBuf += value;
        else this.valBuf += value;
        this.state = this.entReturn;
        return i + 1;
      }
      if (!isNameCode(c) && c !== 0x23) return this.fail("not-well-formed", "malformed entity reference");
      if (this.entBuf.length + (i - start) >= MAX_ENTITY_CHARS) return this.fail("not-well-formed", "entity reference too long");
    }
    this.entBuf += s.slice(start, i);
    return i;
  }

  // ---------------------------------------------------------------- markup

  private afterLt(s: string, i: number): number {
    const c = s.charCodeAt(i);
    if (isNameStartCode(c)) {
      if (this.depth >= 2) this.commitText();
      this.nameBuf = "";
      this.colonAt = -1;
      this.state = S_START_NAME;
      return i;
    }
    if (c === 0x2f) {
      if (this.depth >= 2) this.commitText();
      this.nameBuf = "";
      this.state = S_END_NAME;
      return i + 1;
    }
    if (c === 0x21) {
      // Only CDATA sections, and only inside stanzas; `<!--`, `<!DOCTYPE`, `<!ENTITY` … are DTD
      // and comment syntax, which XMPP forbids.
      this.state = S_BANG;
      this.matchPos = -1; // before the `[`
      return i + 1;
    }
    if (c === 0x3f) {
      if (!this.declAllowed) return this.fail("restricted-xml", "processing instructions are not allowed in XMPP");
      this.matchPos = 0;
      this.state = S_PI_TARGET;
      return i + 1;
    }
    return this.fail("not-well-formed", "invalid character after '<'");
  }

  /** After `<!`: `[CDATA[` inside a stanza is the only acceptable continuation. */
  private bang(s: string, i: number): number {
    const end = this.end;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (this.matchPos < 0) {
        if (c !== 0x5b) return this.fail("restricted-xml", "comments and DTDs are not allowed in XMPP");
        this.matchPos = 0;
        continue;
      }
      if (c !== CDATA_OPEN.charCodeAt(this.matchPos)) return this.fail("not-well-formed", "malformed CDATA section");
      if (++this.matchPos === CDATA_OPEN.length) {
        if (this.depth < 2) return this.fail("not-well-formed", "CDATA outside a stanza");
        this.state = S_CDATA;
        return i + 1;
      }
    }
    return i;
  }

  /** After `<?` at the start of the stream: `xml` and whitespace, i.e. the XML declaration. */
  private piTarget(s: string, i: number): number {
    const end = this.end;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (this.matchPos < 3) {
        if (c !== "xml".charCodeAt(this.matchPos)) return this.fail("restricted-xml", "processing instructions are not allowed in XMPP");
        this.matchPos++;
        continue;
      }
      if (isSpace(c)) {
        this.declBuf = "";
        this.state = S_XMLDECL;
        return i; // the body keeps its leading whitespace
      }
      if (c === 0x3f) return this.fail("not-well-formed", "XML declaration without a version");
      return this.fail("restricted-xml", "processing instructions are not allowed in XMPP");
    }
    return i;
  }

  private xmlDecl(s: string, i: number): number {
    const end = this.end;
    const start = i;
    for (; i < end; i++) {
      if (s.charCodeAt(i) !== 0x3e || this.charBefore(s, i, 1) !== 0x3f) continue;
      const raw = this.declBuf + s.slice(start, i);
      this.declBuf = "";
      const problem = checkXmlDecl(raw.slice(0, raw.length - 1)); // drop the `?`
      if (problem) return this.fail(problem.condition, problem.text);
      this.state = S_IDLE;
      return i + 1;
    }
    this.declBuf += s.slice(start, i);
    return i;
  }

  /**
   * Scans name characters from i; returns the index of the first character after the name (at
   * most `end`). Tracks the colon in colonAt; the caller completes or carries the token.
   */
  private scanName(s: string, i: number, end: number, offset: number): number {
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        const t = ASCII_NAME_CLASS[c]!;
        if (t >= NC_START) continue;
        if (t !== NC_COLON) return i;
        this.colonAt = this.colonAt === -1 ? offset + i : -2;
      } else if (!isNameCode(c)) return i;
    }
    return i;
  }

  /** The name that ends at i (scanned from start), joined with any piece from earlier chunks. */
  private takeName(s: string, start: number, i: number): string {
    if (this.nameBuf === "") return internName(s, start, i);
    const name = this.nameBuf + s.slice(start, i);
    this.nameBuf = "";
    return name;
  }

  private startName(s: string, i: number): number {
    const end = this.end;
    const start = i;
    i = this.scanName(s, i, end, this.nameBuf.length - start);
    if (i >= end) {
      this.nameBuf += s.slice(start, i);
      return i;
    }
    const name = this.takeName(s, start, i);
    if (!isQName(name, this.colonAt)) return this.fail("not-well-formed", `invalid element name '${brief(name)}'`);
    this.tagName = name;
    this.tagColon = this.colonAt;
    this.attrCount = 0;
    this.tagHasDecl = false;
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      this.sawSpace = true;
      this.state = S_TAG;
      return i + 1;
    }
    if (c === 0x3e) return this.finishStartTag(false, i + 1);
    if (c === 0x2f) {
      this.state = S_EMPTY;
      return i + 1;
    }
    return this.fail("not-well-formed", `invalid character in element name '${brief(name)}'`);
  }

  private inTag(s: string, i: number): number {
    const end = this.end;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (isSpace(c)) {
        this.sawSpace = true;
        continue;
      }
      if (c === 0x3e) return this.finishStartTag(false, i + 1);
      if (c === 0x2f) {
        this.state = S_EMPTY;
        return i + 1;
      }
      if (!isNameStartCode(c)) return this.fail("not-well-formed", "invalid character in start tag");
      if (!this.sawSpace) return this.fail("not-well-formed", "attributes must be separated by whitespace");
      this.nameBuf = "";
      this.colonAt = -1;
      this.state = S_ATTR_NAME;
      return this.attrName(s, i); // straight on: saves a trip through the dispatcher
    }
    return i;
  }

  private attrName(s: string, i: number): number {
    const end = this.end;
    const start = i;
    i = this.scanName(s, i, end, this.nameBuf.length - start);
    if (i >= end) {
      this.nameBuf += s.slice(start, i);
      return i;
    }
    const name = this.takeName(s, start, i);
    const colon = this.colonAt;
    if (!isQName(name, colon)) return this.fail("not-well-formed", `invalid attribute name '${brief(name)}'`);
    const n = this.attrCount;
    if (n >= this.limits.maxAttributes) return this.fail("policy-violation", `more than ${this.limits.maxAttributes} attributes on an element`);
    for (let k = 0; k < n; k++) if (this.attrNames[k] === name) return this.fail("not-well-formed", `duplicate attribute '${brief(name)}'`);
    this.attrNames[n] = name;
    this.attrColons[n] = colon;
    let kind = A_PLAIN;
    if (colon < 0) {
      if (name === "xmlns") kind = A_DEFAULT_DECL;
    } else if (colon === 5 && name.startsWith("xmlns")) kind = A_PREFIX_DECL;
    else kind = A_PREFIXED;
    this.attrKinds[n] = kind;
    if (kind >= A_DEFAULT_DECL) this.tagHasDecl = true;
    const c = s.charCodeAt(i);
    if (c === 0x3d) {
      this.state = S_ATTR_QUOTE;
      return i + 1 < end ? this.attrQuote(s, i + 1) : i + 1;
    }
    if (isSpace(c)) {
      this.state = S_ATTR_EQ;
      return i + 1;
    }
    return this.fail("not-well-formed", `expected '=' after attribute '${brief(name)}'`);
  }

  private attrEq(s: string, i: number): number {
    const end = this.end;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (isSpace(c)) continue;
      if (c !== 0x3d) return this.fail("not-well-formed", "expected '=' after attribute name");
      this.state = S_ATTR_QUOTE;
      return i + 1;
    }
    return i;
  }

  private attrQuote(s: string, i: number): number {
    const end = this.end;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (isSpace(c)) continue;
      if (c !== 0x22 && c !== 0x27) return this.fail("not-well-formed", "attribute values must be quoted");
      this.quote = c;
      this.valBuf = "";
      this.pendingCR = false;
      this.state = S_ATTR_VALUE;
      return i + 1 < end ? this.attrValue(s, i + 1) : i + 1;
    }
    return i;
  }

  private attrValue(s: string, i: number): number {
    const end = this.end;
    const quote = this.quote;
    const start = i;
    let ws = false;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x3c) {
        if (c > 0xfffd) return this.badChar(c);
        continue;
      }
      if (c === quote) {
        this.addValue(s, start, i, ws, false);
        this.attrValues[this.attrCount++] = this.valBuf;
        this.valBuf = "";
        this.sawSpace = false;
        this.state = S_TAG;
        return i + 1;
      }
      if (c >= 0x20) {
        if (c === 0x26) {
          this.addValue(s, start, i, ws, false);
          this.beginEntity(S_ATTR_VALUE);
          return i + 1;
        }
        if (c === 0x3c) return this.fail("not-well-formed", "'<' in attribute value");
        continue;
      }
      if (c === 0x0d || c === 0x0a || c === 0x09) ws = true;
      else return this.badChar(c);
    }
    this.addValue(s, start, i, ws, true);
    return i;
  }

  private addValue(s: string, from: number, to: number, ws: boolean, atBoundary: boolean): void {
    if (this.pendingCR) {
      this.pendingCR = false;
      if (from < to && s.charCodeAt(from) === 0x0a) from++; // second half of a split CRLF
    }
    if (from >= to) return;
    if (atBoundary && ws && s.charCodeAt(to - 1) === 0x0d) this.pendingCR = true;
    const piece = ws ? normalizeAttrWhitespace(s.slice(from, to)) : s.slice(from, to);
    this.valBuf = this.valBuf === "" ? piece : this.valBuf + piece;
  }

  private endName(s: string, i: number): number {
    const end = this.end;
    const start = i;
    if (this.nameBuf === "" && this.depth > 0) {
      // Fast path: the expected name followed by `>`, compared in place.
      const expected = this.qnames[this.depth - 1]!;
      const n = expected.length;
      if (i + n < end && s.charCodeAt(i + n) === 0x3e) {
        let k = 0;
        while (k < n && s.charCodeAt(i + k) === expected.charCodeAt(k)) k++;
        if (k === n) return this.finishEndTag(i + n + 1);
      }
    }
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (this.nameBuf === "" && i === start ? isNameStartCode(c) : isNameCode(c)) continue;
      if (i === start && this.nameBuf === "") return this.fail("not-well-formed", "invalid end tag");
      this.nameBuf += s.slice(start, i);
      if (c === 0x3e) return this.checkEndName(i + 1);
      if (isSpace(c)) {
        this.state = S_END_SPACE;
        return i + 1;
      }
      return this.fail("not-well-formed", "invalid character in end tag");
    }
    this.nameBuf += s.slice(start, i);
    return i;
  }

  private endSpace(s: string, i: number): number {
    const end = this.end;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (isSpace(c)) continue;
      if (c === 0x3e) return this.checkEndName(i + 1);
      return this.fail("not-well-formed", "invalid character in end tag");
    }
    return i;
  }

  private checkEndName(after: number): number {
    const name = this.nameBuf;
    this.nameBuf = "";
    if (this.depth === 0) return this.fail("not-well-formed", `end tag '${brief(name)}' without a start tag`);
    const expected = this.qnames[this.depth - 1]!;
    if (name !== expected) return this.fail("not-well-formed", `end tag '${brief(name)}' does not match '${brief(expected)}'`);
    return this.finishEndTag(after);
  }

  // ---------------------------------------------------------------- tree building

  private lookupPrefix(prefix: string): string | undefined {
    if (prefix === "xml") return NS.XML;
    for (let k = this.nsTop - 1; k >= 0; k--) if (this.nsPrefixes[k] === prefix) return this.nsUris[k];
    return undefined;
  }

  /**
   * Pushes this tag's namespace declarations and returns its default namespace, or undefined
   * after failing when a declaration breaks Namespaces in XML §3.
   */
  private declareNamespaces(inheritedDefault: string): string | undefined {
    let defaultNs = inheritedDefault;
    for (let k = 0; k < this.attrCount; k++) {
      const kind = this.attrKinds[k]!;
      if (kind < A_DEFAULT_DECL) continue;
      const name = this.attrNames[k]!;
      const uri = this.attrValues[k]!;
      if (uri === NS.XML || uri === XMLNS_NAMESPACE) {
        if (name === "xmlns:xml" && uri === NS.XML) continue; // the predeclared xml prefix, restated
        this.fail("bad-namespace-prefix", `'${brief(name)}' may not be bound to '${brief(uri)}'`);
        return undefined;
      }
      if (kind === A_DEFAULT_DECL) {
        defaultNs = uri;
        continue;
      }
      const prefix = name.slice(6);
      if (prefix === "xml" || prefix === "xmlns") {
        this.fail("bad-namespace-prefix", `the '${brief(prefix)}' prefix cannot be redeclared`);
        return undefined;
      }
      if (uri === "") {
        this.fail("bad-namespace-prefix", `prefix '${brief(prefix)}' bound to no namespace`);
        return undefined;
      }
      this.nsPrefixes[this.nsTop] = prefix;
      this.nsUris[this.nsTop++] = uri;
    }
    return defaultNs;
  }

  /** The namespace of the tag being finished, or undefined after failing on an unknown prefix. */
  private tagNamespace(defaultNs: string): string | undefined {
    if (this.tagColon < 0) return defaultNs;
    const prefix = this.tagName.slice(0, this.tagColon);
    const ns = prefix === "xmlns" ? undefined : this.lookupPrefix(prefix);
    if (ns === undefined) this.fail("bad-namespace-prefix", `undeclared prefix '${brief(prefix)}' on element '${brief(this.tagName)}'`);
    return ns;
  }

  /**
   * Copies the attributes (not the declarations) of the tag being finished into attrs. A prefixed
   * attribute keeps its prefix, and the element gets the declaration it needs, so the element
   * stays self-contained wherever it is forwarded. Returns false after failing.
   */
  private copyAttrs(attrs: Attrs): boolean {
    let seen: string[] | undefined; // expanded names of prefixed attributes
    for (let k = 0; k < this.attrCount; k++) {
      const kind = this.attrKinds[k]!;
      if (kind >= A_DEFAULT_DECL) continue;
      const name = this.attrNames[k]!;
      if (kind === A_PREFIXED) {
        const colon = this.attrColons[k]!;
        const prefix = name.slice(0, colon);
        const uri = this.lookupPrefix(prefix);
        if (uri === undefined) {
          this.fail("bad-namespace-prefix", `undeclared prefix '${brief(prefix)}' on attribute '${brief(name)}'`);
          return false;
        }
        const expanded = uri + " " + name.slice(colon + 1);
        if ((seen ??= []).includes(expanded)) {
          this.fail("not-well-formed", `attribute '${brief(name)}' duplicates another in the same namespace`);
          return false;
        }
        seen.push(expanded);
        if (prefix !== "xml") attrs["xmlns:" + prefix] = uri;
      }
      putAttr(attrs, name, this.attrValues[k]!);
      this.attrValues[k] = ""; // an idle connection must not keep a large value alive
    }
    this.attrCount = 0;
    return true;
  }

  private finishStartTag(selfClosing: boolean, after: number): number {
    if (this.depth === 0) return this.openStream(selfClosing, after);
    const d = this.depth; // index of the new element; the stanza is 1
    if (d > this.limits.maxDepth) return this.fail("policy-violation", `elements nested deeper than ${this.limits.maxDepth} levels`);
    if (d === 1) this.childCount = 0;
    else if (++this.childCount > this.limits.maxChildren) {
      return this.fail("policy-violation", `more than ${this.limits.maxChildren} elements in a stanza`);
    }

    const mark = this.nsTop;
    const defaultNs = this.tagHasDecl ? this.declareNamespaces(this.defaultNsOf[d - 1]!) : this.defaultNsOf[d - 1]!;
    if (defaultNs === undefined) return Infinity;
    const ns = this.tagNamespace(defaultNs);
    if (ns === undefined) return Infinity;
    const qname = this.tagName;
    const local = this.tagColon < 0 ? qname : qname.slice(this.tagColon + 1);

    const attrs: Attrs = {};
    if (ns !== this.nsOf[d - 1]) attrs.xmlns = ns;
    if (this.attrCount !== 0 && !this.copyAttrs(attrs)) return Infinity;

    const el = new Element(local, attrs);
    if (d >= 2) this.elOf[d - 1]!.children.push(el);
    this.qnames[d] = qname;
    this.nsOf[d] = ns;
    this.defaultNsOf[d] = defaultNs;
    this.nsMark[d] = mark;
    this.elOf[d] = el;
    this.depth = d + 1;
    if (selfClosing) return this.finishEndTag(after);
    this.state = S_CONTENT;
    return after;
  }

  private openStream(selfClosing: boolean, after: number): number {
    const defaultNs = this.declareNamespaces("");
    if (defaultNs === undefined) return Infinity;
    const ns = this.tagNamespace(defaultNs);
    if (ns === undefined) return Infinity;
    const qname = this.tagName;
    const local = this.tagColon < 0 ? qname : qname.slice(this.tagColon + 1);
    if (ns !== NS.STREAMS || local !== "stream") {
      return this.fail("invalid-namespace", `the stream header must be <stream> in ${NS.STREAMS}`);
    }

    // The header reports its attributes as sent (the default namespace as "xmlns", other prefix
    // declarations such as xmlns:db included), minus the declaration of its own prefix.
    const attrs: Attrs = {};
    const ownDecl = this.tagColon < 0 ? "" : "xmlns:" + qname.slice(0, this.tagColon);
    for (let k = 0; k < this.attrCount; k++) {
      const name = this.attrNames[k]!;
      if (this.attrKinds[k] === A_DEFAULT_DECL || (this.attrKinds[k] === A_PREFIX_DECL && name !== ownDecl)) {
        putAttr(attrs, name, this.attrValues[k]!);
      }
    }
    if (!this.copyAttrs(attrs)) return Infinity;
    // As in finishStartTag: scratch slots must not keep the header's chunk alive (see KNOWN_NS).
    for (let k = 0; k < this.attrCount; k++) this.attrValues[k] = "";

    const streamNs = detached(defaultNs);
    this.qnames[0] = detached(qname); // parked for the life of the stream (see park())
    this.nsOf[0] = streamNs;
    this.defaultNsOf[0] = streamNs;
    this.nsMark[0] = 0;
    this.elOf[0] = null;
    this.depth = 1;
    this.events.push({ kind: "open", name: local, ns, attrs });
    this.beginSegment(SEG_IDLE, after);
    if (selfClosing) return this.finishEndTag(after);
    this.state = S_IDLE;
    return after;
  }

  private finishEndTag(after: number): number {
    const d = --this.depth;
    // Namespace strings of the closed element are slices of its chunk: an idle connection must
    // not keep that chunk alive through these scratch slots (about 300 bytes each, bench W2).
    const top = this.nsTop;
    this.nsTop = this.nsMark[d]!;
    for (let k = this.nsTop; k < top; k++) this.nsUris[k] = this.nsPrefixes[k] = "";
    this.nsOf[d] = this.defaultNsOf[d] = "";
    const el = this.elOf[d];
    this.elOf[d] = null; // an idle connection must not keep its last stanza alive
    if (d >= 2) {
      this.state = S_CONTENT;
      return after;
    }
    this.state = S_IDLE;
    if (d === 1) {
      const bytes = this.segmentBytes(after);
      if (bytes > this.limits.maxStanzaBytes) return this.fail("policy-violation", `stanza exceeds ${this.limits.maxStanzaBytes} bytes`);
      this.events.push({ kind: "element", el: el!, bytes });
    } else {
      this.closed = true;
      this.events.push({ kind: "close" });
    }
    this.beginSegment(SEG_IDLE, after);
    return after;
  }
}
