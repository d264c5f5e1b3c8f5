// The optional XML declaration before a stream header (XML 1.0 §2.8):
//   <?xml S version Eq VersionNum (S encoding Eq EncName)? (S standalone Eq ('yes'|'no'))? S? ?>
// Cold path (once per stream), so it favours clarity over speed.

export interface XmlDeclProblem {
  condition: "not-well-formed" | "unsupported-encoding";
  text: string;
}

/** Checks the body between `<?xml` and `?>`; undefined when it is acceptable. */
export function checkXmlDecl(body: string): XmlDeclProblem | undefined {
  const r = new DeclReader(body);
  const version = r.pseudoAttr("version");
  if (version === undefined) return malformed("XML declaration without a version");
  if (!isVersionNum(version)) return malformed(`unsupported XML version '${version}'`);
  let name = r.nextName();
  if (name === "encoding") {
    const enc = r.value();
    if (enc === undefined || !isEncName(enc)) return malformed("malformed encoding declaration");
    // RFC 6120 §11.6: UTF-8 only.
    if (enc.toUpperCase() !== "UTF-8") return { condition: "unsupported-encoding", text: `encoding '${enc}' is not UTF-8` };
    name = r.nextName();
  }
  if (name === "standalone") {
    const v = r.value();
    if (v !== "yes" && v !== "no") return malformed("malformed standalone declaration");
    name = r.nextName();
  }
  if (name !== undefined || !r.atEnd()) return malformed("malformed XML declaration");
  return undefined;
}

function malformed(text: string): XmlDeclProblem {
  return { condition: "not-well-formed", text };
}

function isVersionNum(v: string): boolean {
  if (v.length < 3 || !v.startsWith("1.")) return false;
  for (let i = 2; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function isEncName(v: string): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (i === 0 ? !alpha : !(alpha || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x5f || c === 0x2d)) return false;
  }
  return true;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

class DeclReader {
  private pos = 0;
  constructor(private readonly s: string) {}

  /** Whitespace (required before each pseudo-attribute), then a lowercase name; undefined at the end. */
  nextName(): string | undefined {
    const start = this.pos;
    while (this.pos < this.s.length && isSpace(this.s.charCodeAt(this.pos))) this.pos++;
    if (this.pos === start || this.pos >= this.s.length) return undefined;
    const nameStart = this.pos;
    while (this.pos < this.s.length) {
      const c = this.s.charCodeAt(this.pos);
      if (c < 0x61 || c > 0x7a) break;
      this.pos++;
    }
    return this.pos > nameStart ? this.s.slice(nameStart, this.pos) : undefined;
  }

  pseudoAttr(name: string): string | undefined {
    return this.nextName() === name ? this.value() : undefined;
  }

  /** Eq and a quoted value. */
  value(): string | undefined {
    this.skipSpace();
    if (this.s.charCodeAt(this.pos) !== 0x3d /* = */) return undefined;
    this.pos++;
    this.skipSpace();
    const quote = this.s.charCodeAt(this.pos);
    if (quote !== 0x22 && quote !== 0x27) return undefined;
    const end = this.s.indexOf(quote === 0x22 ? '"' : "'", this.pos + 1);
    if (end < 0) return undefined;
    const v = this.s.slice(this.pos + 1, end);
    this.pos = end + 1;
    return v;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.s.length;
  }

  private skipSpace(): void {
    while (this.pos < this.s.length && isSpace(this.s.charCodeAt(this.pos))) this.pos++;
  }
}
