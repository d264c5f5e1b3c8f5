// A stanza as JSON, so an unanswered subscription request can wait in the roster store across
// restarts and be delivered again exactly as it arrived (RFC 6121 §3.1.3).
import type { Json } from "../../storage/types.js";
import { Element } from "../../xml/element.js";

export function toStored(el: Element): Json {
  return { name: el.name, attrs: { ...el.attrs }, children: el.children.map((c) => (typeof c === "string" ? c : toStored(c))) };
}

/** The element back, or undefined when the record is not one toStored wrote. */
export function fromStored(json: Json | undefined): Element | undefined {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return undefined;
  const { name, attrs, children } = json;
  if (typeof name !== "string" || attrs === null || typeof attrs !== "object" || Array.isArray(attrs) || !Array.isArray(children)) return undefined;
  const el = new Element(name);
  for (const [k, v] of Object.entries(attrs)) if (typeof v === "string") el.attrs[k] = v;
  for (const c of children) {
    if (typeof c === "string") el.children.push(c);
    else {
      const child = fromStored(c);
      if (!child) return undefined;
      el.children.push(child);
    }
  }
  return el;
}
