// String preparation for JID parts and SASL names (stringprep, RFC 3454): nodeprep and
// resourceprep (RFC 3920 appendices A and B, kept by RFC 6122), nameprep (RFC 3491) and saslprep
// (RFC 4013). These are the profiles Prosody and ejabberd apply, so an address prepared here names
// the same account there; RFC 7622 (PRECIS) rules are used only where they are stricter and
// stringprep leaves a gap (domain label syntax, A-labels).
//
// Every function returns the prepared string or throws PrepError. Pure ASCII input (nearly every
// real JID) is checked in one pass (a regular expression, or a character loop for domains) and,
// where the profile folds case, lowercased; it never reaches the Unicode machinery below, and
// nothing is cached.
//
// Where this deliberately differs from a literal stringprep implementation:
// - Case folding is not a copy of table B.2: each code point is mapped with
//   toUpperCase().toLowerCase(), before and again after NFKC. For every code point of Unicode 3.2
//   that gives exactly B.2 followed by NFKC (ß → "ss", final sigma ς → σ, ﬀ → "ff", ℡ → "tel",
//   𝐀 → "a"; checked code point by code point against the RFC 3454 tables when this was written),
//   once the few capitals that B.2 leaves alone but later Unicode versions gave a lowercase (dotless
//   ı, Cyrillic Ӏ, Georgian Ⴀ…, Cherokee Ꭰ…, Ⅎ, Ↄ) are kept as they are; their newer lowercase
//   partners fold to those capitals instead (KEEP_CASE / FOLD_TO_UPPER in prep-tables.ts).
//   "ẞ" (U+1E9E, newer than 3.2) folds to "ss" too, so "Straße", "STRAẞE" and "strasse" are one
//   account, as on stringprep servers (PRECIS would keep ß).
// - NFKC is the runtime's current Unicode: five CJK compatibility ideographs (U+2F868, U+2F874,
//   U+2F91F, U+2F95F, U+2F9BF) normalise as corrected in Unicode 4.0, not as in 3.2.
// - "Unassigned" means unassigned in the runtime's Unicode (\p{Cn}), not in Unicode 3.2 (table
//   A.1): characters added since (most emoji, newer scripts) are accepted, as a stringprep server
//   does for queries. Unassigned code points are always refused, as for stored strings.
// - Bidi uses D.1/D.2 and, for characters added after 3.2, their current bidi class. In a
//   domainpart the rule applies per label (as IDNA applies nameprep per label), so "مثال.com" is
//   accepted although a whole-string check would refuse it.
// - Input longer than 1023 UTF-8 bytes is refused before preparation, as is any JID part whose
//   result exceeds 1023 bytes. saslprep has no length limit and accepts the empty string.
// - nameprep also enforces hostname syntax after mapping: LDH labels of 1–63 octets (in A-label
//   form), no leading or trailing hyphen, no all-numeric last label unless the whole domain is a
//   dotted-quad IPv4 address; A-labels ("xn--…") are converted to U-labels (RFC 7622 §3.2) and
//   refused if they are not canonical; IP literals ("192.0.2.1", "[2001:db8::1]") are accepted
//   unchanged except that IPv6 hex digits are lowercased, as nameprep's case folding would do.
import { isIPv4, isIPv6 } from "node:net";
import { domainToASCII, domainToUnicode } from "node:url";
import * as T from "./prep-tables.js";

export type PrepErrorCode = "empty" | "too-long" | "prohibited" | "unassigned" | "bidi" | "invalid-domain";

export class PrepError extends Error {
  override readonly name = "PrepError";
  constructor(message: string, readonly code: PrepErrorCode = "prohibited") {
    super(message);
  }
}

const MAX_PART_BYTES = 1023;
const MAX_LABEL_OCTETS = 63;

// ASCII fast paths. Localpart: printable ASCII except the nodeprep-prohibited " & ' / : < > @.
const NODE_ASCII = /^[!#-%(-.0-9;=?A-~]+$/;
const RESOURCE_ASCII = /^[\x20-\x7E]+$/;
const SASL_ASCII = /^[\x20-\x7E]*$/;
const HOST_ASCII = /^[A-Za-z0-9.-]+$/;
const LDH_LABEL = /^[a-z0-9-]+$/;
const NOT_HOSTNAME_ASCII = /[\x00-\x2C\x2E\x2F\x3A-\x60\x7B-\x7F]/;
const ALL_DIGITS = /^[0-9]+$/;
const IPV6_LITERAL = /^\[([0-9A-Fa-f:.]+)\]$/;

const UNASSIGNED = /\p{Cn}/u;
const NONCHARACTER = new RegExp(`[${T.C4}]`, "u");
const MAP_TO_NOTHING = new RegExp(`[${T.B1}]`, "gu");
const NON_ASCII_SPACE = new RegExp(`[${T.C1_2}]`, "gu");
const KEEP_CASE = new RegExp(`[${T.KEEP_CASE}]`, "u");
const FOLD_TO_UPPER = new RegExp(`[${T.FOLD_TO_UPPER}]`, "u");
const LABEL_SEPARATOR = new RegExp(`[${T.LABEL_SEPARATORS}]`, "gu");
const RAND_AL = new RegExp(`[${T.RAND_AL_CAT}]`, "u");
const RAND_AL_FIRST = new RegExp(`^[${T.RAND_AL_CAT}]`, "u");
const RAND_AL_LAST = new RegExp(`[${T.RAND_AL_CAT}]$`, "u");
const L = new RegExp(`[${T.L_CAT}]`, "u");

// What each prohibited table is called in error messages, most specific first.
const TABLE_NAMES: ReadonlyArray<readonly [RegExp, string]> = ([
  [T.C1_1, "space"],
  [T.C1_2, "non-ASCII space"],
  [T.C2_1, "control character"],
  [T.C2_2, "control or format character"],
  [T.C3, "private-use character"],
  [T.C4, "noncharacter"],
  [T.C5, "unpaired surrogate"],
  [T.C6, "character inappropriate for plain text"],
  [T.C7, "ideographic description character"],
  [T.C8, "display-changing or deprecated character"],
  [T.C9, "tagging character"],
  [T.NODEPREP_EXTRA, "character not allowed in a localpart"],
] as const).map(([table, name]) => [new RegExp(`[${table}]`, "u"), name] as const);

interface Profile {
  /** What the string is, for messages ("localpart"). */
  readonly what: string;
  /** saslprep: non-ASCII spaces become U+0020. */
  readonly mapSpaces: boolean;
  readonly caseFold: boolean;
  readonly prohibited: RegExp;
  /** False for nameprep, which checks bidi per label. */
  readonly bidi: boolean;
  readonly allowEmpty: boolean;
  readonly maxBytes: number | undefined;
}

function prohibitedSet(...tables: string[]): RegExp {
  return new RegExp(`[${tables.join("")}]`, "u");
}

const C2_TO_C9 = [T.C2_1, T.C2_2, T.C3, T.C4, T.C5, T.C6, T.C7, T.C8, T.C9];

const NODEPREP: Profile = {
  what: "localpart",
  mapSpaces: false,
  caseFold: true,
  prohibited: prohibitedSet(T.C1_1, T.C1_2, ...C2_TO_C9, T.NODEPREP_EXTRA),
  bidi: true,
  allowEmpty: false,
  maxBytes: MAX_PART_BYTES,
};

const NAMEPREP: Profile = {
  what: "domainpart",
  mapSpaces: false,
  caseFold: true,
  // RFC 3491 §5 leaves ASCII space and controls (C.1.1, C.2.1) to the hostname syntax check.
  prohibited: prohibitedSet(T.C1_2, T.C2_2, T.C3, T.C4, T.C5, T.C6, T.C7, T.C8, T.C9),
  bidi: false,
  allowEmpty: false,
  maxBytes: MAX_PART_BYTES,
};

const RESOURCEPREP: Profile = {
  what: "resourcepart",
  mapSpaces: false,
  caseFold: false,
  prohibited: prohibitedSet(T.C1_2, ...C2_TO_C9),
  bidi: true,
  allowEmpty: false,
  maxBytes: MAX_PART_BYTES,
};

const SASLPREP: Profile = {
  what: "SASL string",
  mapSpaces: true,
  caseFold: false,
  prohibited: prohibitedSet(T.C1_2, ...C2_TO_C9),
  bidi: true,
  allowEmpty: true,
  maxBytes: undefined,
};

/** Prepares a localpart (nodeprep): case-folded, NFKC, no spaces or `"&'/:<>@`. */
export function nodeprep(s: string): string {
  if (s.length <= MAX_PART_BYTES && NODE_ASCII.test(s)) return s.toLowerCase();
  return prepare(s, NODEPREP);
}

/** Prepares a resourcepart (resourceprep): NFKC, case and ASCII spaces kept. */
export function resourceprep(s: string): string {
  if (s.length <= MAX_PART_BYTES && RESOURCE_ASCII.test(s)) return s;
  return prepare(s, RESOURCEPREP);
}

/** Prepares a SASL username or password (saslprep, RFC 4013); case is kept. */
export function saslprep(s: string): string {
  if (SASL_ASCII.test(s)) return s;
  return prepare(s, SASLPREP);
}

/** Prepares a domainpart (nameprep plus hostname syntax), or accepts an IP literal. */
export function nameprep(s: string): string {
  const plain = plainHostname(s);
  if (plain !== undefined) return plain;
  if (s.startsWith("[")) return ipv6Literal(s);
  const d = s.length <= MAX_PART_BYTES && HOST_ASCII.test(s) ? s.toLowerCase() : prepare(s, NAMEPREP).replace(LABEL_SEPARATOR, ".");
  if (isIPv4(d)) return d;
  return checkLabels(d);
}

/**
 * The fast path: `s` lowercased when it is an ASCII hostname that needs nothing else (LDH labels
 * of 1–63 octets, no A-label, last label not numeric), else undefined. One pass, no allocation
 * unless there is uppercase to fold.
 */
function plainHostname(s: string): string | undefined {
  const n = s.length;
  if (n === 0 || n > MAX_PART_BYTES) return undefined;
  let labelStart = 0;
  let upper = false;
  let numeric = true;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      const len = i - labelStart;
      if (len === 0 || len > MAX_LABEL_OCTETS) return undefined;
      if (s.charCodeAt(labelStart) === 0x2d || s.charCodeAt(i - 1) === 0x2d) return undefined;
      // "??--" (an A-label such as "xn--…") is left to checkLabels.
      if (len >= 4 && s.charCodeAt(labelStart + 2) === 0x2d && s.charCodeAt(labelStart + 3) === 0x2d) return undefined;
      if (i < n) {
        labelStart = i + 1;
        numeric = true;
      }
    } else if (c >= 0x61 && c <= 0x7a) {
      numeric = false;
    } else if (c >= 0x41 && c <= 0x5a) {
      numeric = false;
      upper = true;
    } else if (c === 0x2d) {
      numeric = false;
    } else if (c < 0x30 || c > 0x39) {
      return undefined;
    }
  }
  if (numeric) return undefined; // an IPv4 address or an invalid name: the full path decides
  return upper ? s.toLowerCase() : s;
}

function prepare(input: string, p: Profile): string {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so short input needs no byte count.
  if (p.maxBytes !== undefined && input.length * 3 > p.maxBytes && Buffer.byteLength(input) > p.maxBytes) {
    throw new PrepError(`${p.what} longer than ${p.maxBytes} bytes`, "too-long");
  }
  const unassigned = UNASSIGNED.exec(input);
  if (unassigned) {
    const ch = unassigned[0];
    if (NONCHARACTER.test(ch)) throw new PrepError(`${p.what} contains a prohibited noncharacter (${codePoint(ch)})`);
    throw new PrepError(`${p.what} contains an unassigned code point (${codePoint(ch)})`, "unassigned");
  }

  let s = input;
  if (p.mapSpaces) s = s.replace(NON_ASCII_SPACE, " ");
  s = s.replace(MAP_TO_NOTHING, "");
  // Folding again after NFKC covers characters whose compatibility form has case (℡ → TEL),
  // which table B.2 lists explicitly.
  if (p.caseFold) s = caseFold(caseFold(s).normalize("NFKC"));
  s = s.normalize("NFKC");

  const bad = p.prohibited.exec(s);
  if (bad) throw new PrepError(`${p.what} contains a prohibited ${tableName(bad[0])} (${codePoint(bad[0])})`);
  if (p.bidi) checkBidi(s, p.what);
  if (s === "" && !p.allowEmpty) throw new PrepError(`empty ${p.what}`, "empty");
  if (p.maxBytes !== undefined && Buffer.byteLength(s) > p.maxBytes) {
    throw new PrepError(`${p.what} longer than ${p.maxBytes} bytes`, "too-long");
  }
  return s;
}

function caseFold(s: string): string {
  let out = "";
  for (const ch of s) {
    if (ch < "\x80") out += ch.toLowerCase();
    else if (KEEP_CASE.test(ch)) out += ch;
    else if (FOLD_TO_UPPER.test(ch)) out += ch.toUpperCase();
    else out += ch.toUpperCase().toLowerCase();
  }
  return out;
}

/** RFC 3454 §6: right-to-left text may not contain left-to-right characters and must start and end right-to-left. */
function checkBidi(s: string, what: string): void {
  if (!RAND_AL.test(s)) return;
  if (L.test(s)) throw new PrepError(`${what} mixes right-to-left and left-to-right characters`, "bidi");
  if (!RAND_AL_FIRST.test(s) || !RAND_AL_LAST.test(s)) {
    throw new PrepError(`${what} with right-to-left characters must start and end with a right-to-left character`, "bidi");
  }
}

function ipv6Literal(s: string): string {
  const m = IPV6_LITERAL.exec(s);
  if (!m || !isIPv6(m[1]!)) throw new PrepError(`domainpart ${JSON.stringify(s)} is not a valid IPv6 literal`, "invalid-domain");
  return s.toLowerCase();
}

/** Hostname syntax for a domain already through nameprep mapping; returns it with A-labels as U-labels. */
function checkLabels(d: string): string {
  if (d === "") throw new PrepError("empty domainpart", "empty");
  const labels = d.split(".");
  let changed = false;
  for (let i = 0; i < labels.length; i++) {
    let label = labels[i]!;
    if (label === "") throw invalidDomain(d, "has an empty label");
    if (label.startsWith("xn--")) {
      label = labels[i] = uLabelOf(label, d);
      changed = true;
    }
    if (label.startsWith("-") || label.endsWith("-")) throw invalidDomain(d, `has a label starting or ending with "-"`);
    let ascii = label;
    if (LDH_LABEL.test(label)) {
      // plain LDH label
    } else {
      const bad = NOT_HOSTNAME_ASCII.exec(label);
      if (bad) throw invalidDomain(d, `contains ${JSON.stringify(bad[0])}, which a hostname may not`);
      checkBidi(label, "domain label");
      ascii = domainToASCII(label);
      if (!ascii.startsWith("xn--") || !LDH_LABEL.test(ascii) || domainToUnicode(ascii) !== label) {
        throw invalidDomain(d, `has a label that is not a valid internationalized domain label`);
      }
    }
    if (ascii.length > MAX_LABEL_OCTETS) throw invalidDomain(d, `has a label longer than ${MAX_LABEL_OCTETS} octets`);
  }
  if (ALL_DIGITS.test(labels[labels.length - 1]!)) {
    throw invalidDomain(d, "ends in an all-numeric label but is not an IPv4 address");
  }
  if (!changed) return d;
  const out = labels.join(".");
  if (Buffer.byteLength(out) > MAX_PART_BYTES) throw new PrepError(`domainpart longer than ${MAX_PART_BYTES} bytes`, "too-long");
  return out;
}

/** An A-label as its U-label, refused unless it is the canonical encoding of a prepared label. */
function uLabelOf(aLabel: string, d: string): string {
  const u = domainToUnicode(aLabel);
  if (u === "" || u === aLabel || u.includes(".") || domainToASCII(u) !== aLabel) {
    throw invalidDomain(d, `has an invalid A-label ${JSON.stringify(aLabel)}`);
  }
  let prepared: string;
  try {
    prepared = prepare(u, NAMEPREP);
  } catch (err) {
    throw invalidDomain(d, `has an A-label that decodes to an invalid label (${(err as Error).message})`);
  }
  if (prepared !== u) throw invalidDomain(d, `has an A-label ${JSON.stringify(aLabel)} that is not in prepared form`);
  return u;
}

function invalidDomain(d: string, why: string): PrepError {
  return new PrepError(`domainpart ${JSON.stringify(d)} ${why}`, "invalid-domain");
}

function tableName(ch: string): string {
  for (const [re, name] of TABLE_NAMES) if (re.test(ch)) return name;
  return "character";
}

function codePoint(ch: string): string {
  return "U+" + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
}
