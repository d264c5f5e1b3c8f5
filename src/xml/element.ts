// The XML tree every layer above the parser works with. Deliberately small: a name, a flat
// attribute record and an ordered list of children (elements or text). Namespaces are carried
// in the `xmlns` attribute exactly where they differ from the parent (the parser resolves
// prefixes), so a stanza serialises back the way it arrived.

export type Attrs = Record<string, string>;
export type Node = Element | string;

export class Element {
  readonly name: string;
  attrs: Attrs;
  children: Node[];

  constructor(name: string, attrs?: Attrs, children?: Node[]) {
    this.name = name;
    this.attrs = attrs ?? {};
    this.children = children ?? [];
  }

  get xmlns(): string | undefined {
    return this.attrs.xmlns;
  }

  attr(name: string): string | undefined {
    return this.attrs[name];
  }

  /** Sets or (with undefined) removes an attribute; returns this for chaining. */
  setAttr(name: string, value: string | undefined): this {
    if (value === undefined) delete this.attrs[name];
    else this.attrs[name] = value;
    return this;
  }

  /** First child element with this name (and namespace, when given). */
  getChild(name: string, ns?: string): Element | undefined {
    for (const c of this.children) {
      if (typeof c !== "string" && c.name === name && (ns === undefined || c.attrs.xmlns === ns)) return c;
    }
    return undefined;
  }

  /** First child element in this namespace, whatever its name (the payload of an IQ, an error condition …). */
  getChildByNs(ns: string): Element | undefined {
    for (const c of this.children) if (typeof c !== "string" && c.attrs.xmlns === ns) return c;
    return undefined;
  }

  getChildren(name?: string, ns?: string): Element[] {
    const out: Element[] = [];
    for (const c of this.children) {
      if (typeof c === "string") continue;
      if (name !== undefined && c.name !== name) continue;
      if (ns !== undefined && c.attrs.xmlns !== ns) continue;
      out.push(c);
    }
    return out;
  }

  /** Child elements only (text nodes skipped). */
  get elements(): Element[] {
    return this.getChildren();
  }

  /** Concatenated direct text content. */
  getText(): string {
    let s = "";
    for (const c of this.children) if (typeof c === "string") s += c;
    return s;
  }

  getChildText(name: string, ns?: string): string | undefined {
    return this.getChild(name, ns)?.getText();
  }

  append(...nodes: Array<Node | undefined | null | false>): this {
    for (const n of nodes) if (n !== undefined && n !== null && n !== false) this.children.push(n);
    return this;
  }

  /** Appends and returns the new child, for building nested trees imperatively. */
  c(name: string, attrs?: Attrs): Element {
    const child = new Element(name, attrs);
    this.children.push(child);
    return child;
  }

  removeChildren(predicate: (el: Element) => boolean): this {
    this.children = this.children.filter((c) => typeof c === "string" || !predicate(c));
    return this;
  }

  clone(): Element {
    return new Element(
      this.name,
      { ...this.attrs },
      this.children.map((c) => (typeof c === "string" ? c : c.clone())),
    );
  }

  toString(): string {
    return serialize(this);
  }
}

/** Builder: x("message", { to }, x("body", {}, "hi")). Falsy children are skipped. */
export function x(name: string, attrs?: Record<string, string | undefined> | null, ...children: Array<Node | undefined | null | false | Node[]>): Element {
  const el = new Element(name, attrs ? dropUndefined(attrs) : {});
  for (const c of children) {
    if (Array.isArray(c)) el.append(...c);
    else el.append(c);
  }
  return el;
}

function dropUndefined(attrs: Record<string, string | undefined>): Attrs {
  const out: Attrs = {};
  for (const k in attrs) {
    const v = attrs[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

// Separate non-global testers: a /g regex keeps lastIndex between .test() calls.
const TEXT_NEEDS = /[&<>]/;
const ATTR_NEEDS = /[&<>"']/;
const TEXT_ESCAPES = /[&<>]/g;
const ATTR_ESCAPES = /[&<>"']/g;
const ESCAPE: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

export function escapeText(s: string): string {
  return TEXT_NEEDS.test(s) ? s.replace(TEXT_ESCAPES, (ch) => ESCAPE[ch]!) : s;
}

export function escapeAttr(s: string): string {
  return ATTR_NEEDS.test(s) ? s.replace(ATTR_ESCAPES, (ch) => ESCAPE[ch]!) : s;
}

export function serialize(el: Element): string {
  let s = "<" + el.name;
  for (const k in el.attrs) s += " " + k + "='" + escapeAttr(el.attrs[k]!) + "'";
  if (el.children.length === 0) return s + "/>";
  s += ">";
  for (const c of el.children) s += typeof c === "string" ? escapeText(c) : serialize(c);
  return s + "</" + el.name + ">";
}
