// Character classes and entity resolution for the stream parser (XML 1.0 fifth edition §2.2–2.4,
// §4.1; Namespaces in XML 1.0 §3). Private to src/xml: the parser is the only consumer.

import { NS } from "./ns.js";

// The namespace that `xmlns` itself lives in (Namespaces in XML §3): nothing may bind a prefix to
// it. Only the parser needs it, to refuse such declarations.
export const XMLNS_NAMESPACE = NS.XMLNS;

// ASCII name classes, so name scanning costs one table load per character.
export const NC_NONE = 0; // not in a name
export const NC_COLON = 1; // the QName separator
export const NC_START = 2; // may start a name
export const NC_INNER = 3; // only after the first character
export const ASCII_NAME_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const start = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
  const inner = (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
  ASCII_NAME_CLASS[c] = c === 0x3a ? NC_COLON : start ? NC_START : inner ? NC_INNER : NC_NONE;
}

// Code points from the supplementary planes arrive as UTF-16 pairs. The decoder only produces
// well-formed pairs, so a name accepts a high surrogate for U+10000–U+EFFFF (0xD800–0xDB7F) and
// any low surrogate after it.
function nonAsciiNameStart(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    c === 0x200c ||
    c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xdb7f) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}

/** NameStartChar; the colon counts (it is a name character), QName rules are checked apart. */
export function isNameStartCode(c: number): boolean {
  if (c < 0x80) {
    const t = ASCII_NAME_CLASS[c]!;
    return t === NC_START || t === NC_COLON;
  }
  return nonAsciiNameStart(c);
}

export function isNameCode(c: number): boolean {
  if (c < 0x80) return ASCII_NAME_CLASS[c]! !== NC_NONE;
  return (
    nonAsciiNameStart(c) ||
    c === 0xb7 ||
    (c >= 0x300 && c <= 0x36f) ||
    (c >= 0x203f && c <= 0x2040) ||
    (c >= 0xdc00 && c <= 0xdfff)
  );
}

/** XML 1.0 Char production, for code points (character references). */
export function isXmlCodePoint(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** A Name (not necessarily a QName): used to tell an undefined entity from a malformed one. */
export function isName(s: string): boolean {
  if (s.length === 0 || !isNameStartCode(s.charCodeAt(0))) return false;
  for (let i = 1; i < s.length; i++) if (!isNameCode(s.charCodeAt(i))) return false;
  return true;
}

/**
 * Whether a name made of name characters is a QName (Namespaces in XML §4): `colon` is the index
 * of its only colon, -1 for none, or -2 when the scanner saw more than one.
 */
export function isQName(name: string, colon: number): boolean {
  if (colon === -1) return true;
  if (colon <= 0 || colon === name.length - 1) return false;
  const c = name.charCodeAt(colon + 1);
  return c < 0x80 ? ASCII_NAME_CLASS[c] === NC_START : nonAsciiNameStart(c);
}

// Names that make up most traffic, returned as literals: no allocation, and attribute keys that
// V8 does not have to internalise on every store.
const COMMON_NAMES = [
  "to", "from", "id", "type", "xmlns", "xml:lang", "version", "message", "presence", "iq", "body",
  "query", "item", "jid", "name", "subscription", "ask", "group", "show", "status", "priority",
  "c", "x", "hash", "node", "ver", "var", "feature", "identity", "category", "error", "text",
  "thread", "subject", "active", "composing", "paused", "inactive", "gone", "request", "received",
  "delay", "stamp", "forwarded", "result", "fin", "stanza-id", "origin-id", "by", "reason", "code",
  "affiliation", "role", "nick", "mechanism", "auth", "response", "challenge", "success",
  "failure", "starttls", "proceed", "bind", "resource", "session", "enable", "enabled", "resume",
  "resumed", "r", "a", "h", "max", "ping", "pubsub", "publish", "items", "event", "value",
  "field", "xmlns:stream", "stream:stream", "stream:features", "stream:error", "markable",
  "displayed", "encryption", "store", "no-store", "sent", "private", "reference", "reactions",
];
// Open-addressed table, probed linearly, keyed by a hash of length and first, second and last
// characters (constant time: hashing every character cost more than it saved).
const INTERN_MASK = 1023;
const INTERN_TABLE: Array<string | undefined> = new Array<string | undefined>(INTERN_MASK + 1);
for (const n of COMMON_NAMES) {
  let slot = internSlot(n, 0, n.length);
  while (INTERN_TABLE[slot] !== undefined) slot = (slot + 1) & INTERN_MASK;
  INTERN_TABLE[slot] = n;
}

function internSlot(s: string, start: number, end: number): number {
  const len = end - start;
  const c1 = len > 1 ? s.charCodeAt(start + 1) : 0;
  return (len * 613 + s.charCodeAt(start) * 31 + c1 * 7 + s.charCodeAt(end - 1) * 131) & INTERN_MASK;
}

/** s.slice(start, end), as a shared literal when it is a common name. */
export function internName(s: string, start: number, end: number): string {
  const len = end - start;
  let slot = internSlot(s, start, end);
  for (;;) {
    const n = INTERN_TABLE[slot];
    if (n === undefined) return s.slice(start, end);
    if (n.length === len) {
      let k = 0;
      while (k < len && n.charCodeAt(k) === s.charCodeAt(start + k)) k++;
      if (k === len) return n;
    }
    slot = (slot + 1) & INTERN_MASK;
  }
}

/**
 * The replacement text of an entity reference body (between `&` and `;`): one of the five
 * predefined entities or a character reference to an allowed character. Anything else is null;
 * the caller tells restricted XML (an undefined entity) from malformed syntax.
 */
export function resolveEntity(body: string): string | null {
  switch (body) {
    case "lt":
      return "<";
    case "gt":
      return ">";
    case "amp":
      return "&";
    case "apos":
      return "'";
    case "quot":
      return '"';
  }
  if (body.charCodeAt(0) !== 0x23 /* # */) return null;
  const hex = body.charCodeAt(1) === 0x78; /* x */
  let i = hex ? 2 : 1;
  if (i >= body.length) return null;
  let cp = 0;
  for (; i < body.length; i++) {
    const c = body.charCodeAt(i);
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (hex && c >= 0x61 && c <= 0x66) d = c - 0x57;
    else if (hex && c >= 0x41 && c <= 0x46) d = c - 0x37;
    else return null;
    cp = cp * (hex ? 16 : 10) + d;
    if (cp > 0x10ffff) return null; // also stops the arithmetic from growing unbounded
  }
  return isXmlCodePoint(cp) ? String.fromCodePoint(cp) : null;
}

const LINE_BREAKS = /\r\n?/g;
const ATTR_WHITESPACE = /\r\n|[\t\n\r]/g;

/** §2.11 end-of-line handling for character data: CRLF and lone CR become LF. */
export function normalizeNewlines(s: string): string {
  return s.replace(LINE_BREAKS, "\n");
}

/** §3.3.3 attribute-value normalisation of literal whitespace (after §2.11): each becomes a space. */
export function normalizeAttrWhitespace(s: string): string {
  return s.replace(ATTR_WHITESPACE, " ");
}
