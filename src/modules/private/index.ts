// Private XML Storage (XEP-0049): one stored element per namespace, readable only by its owner.
import type { ServerModule } from "../../server/module-api.js";
import { StanzaError } from "../../stanza/errors.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { parseFragment } from "../../xml/fragment.js";

const MAX_PRIVATE_BYTES = 64 * 1024;
/** XEP-0049 §3: storing in these namespaces is not allowed. */
const RESERVED = new Set<string>([NS.CLIENT, NS.SERVER, NS.PRIVATE]);

export const privateModule: ServerModule = {
  name: "private",
  setup(ctx) {
    const store = ctx.map<string>("private");
    ctx.addFeature(NS.PRIVATE);

    ctx.iq("get", "self", NS.PRIVATE, "query", ({ payload, to }) => {
      const [child, problem] = single(payload.elements);
      if (problem) return problem;
      const ns = child!.attrs.xmlns!;
      const stored = store.get(to.local, key(child!.name, ns));
      return x("query", { xmlns: NS.PRIVATE }, stored ? parseFragment(stored) : x(child!.name, { xmlns: ns }));
    });
    ctx.iq("set", "self", NS.PRIVATE, "query", ({ payload, to }) => {
      const items = payload.elements;
      if (items.length === 0) return new StanzaError("not-acceptable", "nothing to store");
      const entries: Array<[string, string | undefined]> = [];
      for (const el of items) {
        const ns = el.attrs.xmlns;
        if (!ns || RESERVED.has(ns)) return new StanzaError("not-acceptable", "a namespaced child is required");
        const xml = el.toString();
        if (Buffer.byteLength(xml) > MAX_PRIVATE_BYTES) return new StanzaError("not-acceptable", "too large");
        entries.push([key(el.name, ns), el.elements.length || el.getText() ? xml : undefined]);
      }
      store.setMany(to.local, entries);
      return true;
    });
    for (const type of ["get", "set"] as const) ctx.iq(type, "bare", NS.PRIVATE, "query", () => new StanzaError("forbidden"));
    ctx.hook<{ username: string }>("user-deleted", ({ username }) => store.deleteUser(username));
  },
};

function single(els: ReturnType<typeof x>["elements"]): [ReturnType<typeof x> | undefined, StanzaError | undefined] {
  if (els.length !== 1) return [undefined, new StanzaError("not-acceptable", "exactly one child element expected")];
  const ns = els[0]!.attrs.xmlns;
  if (!ns || RESERVED.has(ns)) return [undefined, new StanzaError("not-acceptable", "a namespaced child is required")];
  return [els[0], undefined];
}

function key(name: string, ns: string): string {
  return `${ns}:${name}`;
}
