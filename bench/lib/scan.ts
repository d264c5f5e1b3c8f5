// Splits an XMPP stream into top-level elements by plain string scanning: no DOM, no real XML
// parser, so the load generator stays cheap. It trusts the server to send well-formed XML and
// relies on two facts that hold for Prosody, ejabberd and chatctl: '>' inside attribute values is
// escaped, and a stanza's start tag is its first '>'. Nested elements with the stanza's own name
// (e.g. a forwarded <message> inside a <message>) are counted, so they do not end it early.

/** What the scanner yields: one top-level element, or the stream's own open/close tags. */
export interface Scanned {
  /** Element name with prefix (e.g. "message", "stream:features"); "stream:stream" for the header, "/stream:stream" for the close. */
  name: string;
  /** The element's complete text. */
  xml: string;
}

export class StreamScanner {
  private buf = "";
  private pos = 0;

  push(text: string): void {
    if (this.pos > 0 && this.pos >= this.buf.length) {
      this.buf = text;
      this.pos = 0;
    } else if (this.pos > 65536) {
      this.buf = this.buf.slice(this.pos) + text;
      this.pos = 0;
    } else {
      this.buf += text;
    }
  }

  /** Forgets everything buffered (after STARTTLS or a SASL success the stream restarts). */
  reset(): void {
    this.buf = "";
    this.pos = 0;
  }

  /** The next complete element, or undefined when more input is needed. */
  next(): Scanned | undefined {
    const buf = this.buf;
    const lt = buf.indexOf("<", this.pos);
    if (lt < 0) {
      // Only whitespace keepalives (or nothing) left.
      this.pos = buf.length;
      return undefined;
    }
    const c1 = buf.charCodeAt(lt + 1);
    if (Number.isNaN(c1)) return undefined;
    if (c1 === 63 /* ? */) {
      const end = buf.indexOf("?>", lt);
      if (end < 0) return undefined;
      this.pos = end + 2;
      return this.next();
    }
    if (c1 === 47 /* / */) {
      // A close tag at top level: only </stream:stream> can appear here.
      const end = buf.indexOf(">", lt);
      if (end < 0) return undefined;
      this.pos = end + 1;
      return { name: "/" + buf.slice(lt + 2, end).trim(), xml: buf.slice(lt, end + 1) };
    }
    const startEnd = buf.indexOf(">", lt);
    if (startEnd < 0) return undefined;
    let nameEnd = lt + 1;
    for (;;) {
      const c = buf.charCodeAt(nameEnd);
      if (c === 32 || c === 62 /* > */ || c === 47 /* / */ || c === 9 || c === 10 || c === 13) break;
      nameEnd++;
    }
    const name = buf.slice(lt + 1, nameEnd);
    if (name === "stream:stream" || name === "stream") {
      this.pos = startEnd + 1;
      return { name: "stream:stream", xml: buf.slice(lt, startEnd + 1) };
    }
    if (buf.charCodeAt(startEnd - 1) === 47 /* / */) {
      this.pos = startEnd + 1;
      return { name, xml: buf.slice(lt, startEnd + 1) };
    }
    const end = findClose(buf, name, startEnd + 1);
    if (end < 0) return undefined;
    this.pos = end;
    return { name, xml: buf.slice(lt, end) };
  }
}

/** Index just past the close tag matching an element named `name` whose start tag ended before `from`; -1 if not buffered yet. */
function findClose(buf: string, name: string, from: number): number {
  const close = "</" + name + ">";
  const open = "<" + name;
  let depth = 1;
  let at = from;
  for (;;) {
    const c = buf.indexOf(close, at);
    if (c < 0) return -1;
    // Count same-named elements opened (and not self-closed) before this close tag.
    let o = buf.indexOf(open, at);
    while (o >= 0 && o < c) {
      const after = buf.charCodeAt(o + open.length);
      if (after === 32 || after === 62 || after === 47 || after === 9 || after === 10 || after === 13) {
        const tagEnd = buf.indexOf(">", o);
        if (buf.charCodeAt(tagEnd - 1) !== 47) depth++;
      }
      o = buf.indexOf(open, o + open.length);
    }
    depth--;
    at = c + close.length;
    if (depth === 0) return at;
  }
}

/** The value of attribute `name` in the element's start tag, unescaped for the common entities; undefined when absent. */
export function attr(xml: string, name: string): string | undefined {
  const tagEnd = xml.indexOf(">");
  const limit = tagEnd < 0 ? xml.length : tagEnd;
  const i = xml.indexOf(" " + name + "=", 0);
  if (i < 0 || i > limit) return undefined;
  const q = xml.charAt(i + name.length + 2);
  const end = xml.indexOf(q, i + name.length + 3);
  if (end < 0) return undefined;
  return unescape(xml.slice(i + name.length + 3, end));
}

/** Text between the first <tag ...> (or <tag>) and its </tag>; undefined when absent. */
export function childText(xml: string, tag: string): string | undefined {
  let i = xml.indexOf("<" + tag + ">");
  let start: number;
  if (i >= 0) start = i + tag.length + 2;
  else {
    i = xml.indexOf("<" + tag + " ");
    if (i < 0) return undefined;
    const gt = xml.indexOf(">", i);
    if (xml.charCodeAt(gt - 1) === 47) return "";
    start = gt + 1;
  }
  const end = xml.indexOf("</" + tag + ">", start);
  return end < 0 ? undefined : unescape(xml.slice(start, end));
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;"));
}

function unescape(s: string): string {
  if (s.indexOf("&") < 0) return s;
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}
