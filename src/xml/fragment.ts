// Parses one stored XML element (vCards, private XML, archived stanzas) back into an Element,
// through the same restricted parser the streams use.
import type { Element } from "./element.js";
import { NS } from "./ns.js";
import { StreamParser } from "./stream-parser.js";

const OPEN = `<stream:stream xmlns='${NS.CLIENT}' xmlns:stream='${NS.STREAMS}'>`;

export function parseFragment(xml: string, maxBytes = 16 * 1024 * 1024): Element | undefined {
  const parser = new StreamParser({ maxStanzaBytes: maxBytes, maxDepth: 64, maxChildren: 1_000_000 });
  for (const ev of parser.write(Buffer.from(OPEN + xml))) {
    if (ev.kind === "element") return ev.el;
    if (ev.kind === "error") return undefined;
  }
  return undefined;
}
