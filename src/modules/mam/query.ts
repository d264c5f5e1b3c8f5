// Reading an archive query (XEP-0313 §4: form filters, XEP-0059 RSM paging, <flip-page/>) into a
// plan, and running the plan against the archive store to get one page.
import { Jid } from "../../jid/jid.js";
import { StanzaError } from "../../stanza/errors.js";
import { StoreError, type ArchiveItem, type ArchiveQuery, type ArchiveStore } from "../../storage/types.js";
import type { Element } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { readQueryForm } from "./form.js";
import { ARCHIVE_NS } from "./ns.js";

export interface QueryPlan {
  queryId: string | undefined;
  /** §4.1.1 / §4.1.2 filters (a prepared JID; inclusive times). */
  with?: string;
  start?: Date;
  end?: Date;
  /** §4.1.3 range bounds and single-item retrieval (urn:xmpp:mam:2#extended). */
  afterId?: string;
  beforeId?: string;
  ids?: string[];
  /** Page size after the server's limits; 0 asks for the count only (XEP-0059 §2.7). */
  max: number;
  /** RSM <after/>: the page after this id. */
  after?: string;
  /** RSM <before/>: the page before this id; "" is the last page (§4.3.3 "Requesting the last page"). */
  before?: string;
  /** §4.3.4 "Flipped pages": send the page newest first. */
  flip: boolean;
}

export interface PageLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

/** Reads an `iq-set` <query/>. Errors are the ones XEP-0313 and XEP-0059 name. */
export function parseQuery(query: Element, limits: PageLimits): QueryPlan | StanzaError {
  const fields = readQueryForm(query.getChild("x", NS.DATA_FORMS));
  if (fields instanceof StanzaError) return fields;
  const single = (name: "with" | "start" | "end" | "before-id" | "after-id"): string | undefined | StanzaError => {
    const values = fields.get(name);
    if (values === undefined) return undefined;
    if (values.length > 1) return new StanzaError("bad-request", `field '${name}' takes one value`);
    return values[0];
  };
  const plan: QueryPlan = { queryId: query.attrs.queryid, max: limits.defaultPageSize, flip: false };

  const withText = single("with");
  if (withText instanceof StanzaError) return withText;
  if (withText !== undefined) {
    const jid = Jid.tryParse(withText);
    if (!jid) return new StanzaError("jid-malformed", `'with' is not a JID: ${withText}`);
    plan.with = jid.toString();
  }
  for (const name of ["start", "end"] as const) {
    const text = single(name);
    if (text instanceof StanzaError) return text;
    if (text === undefined) continue;
    const date = parseDateTime(text);
    if (!date) return new StanzaError("bad-request", `'${name}' is not an XEP-0082 DateTime: ${text}`);
    plan[name] = date;
  }
  const afterId = single("after-id");
  if (afterId instanceof StanzaError) return afterId;
  const beforeId = single("before-id");
  if (beforeId instanceof StanzaError) return beforeId;
  plan.afterId = afterId;
  plan.beforeId = beforeId;
  plan.ids = fields.get("ids");

  const rsm = query.getChild("set", ARCHIVE_NS.RSM);
  if (rsm) {
    const problem = readRsm(rsm, plan, limits);
    if (problem) return problem;
  }
  plan.flip = query.getChild("flip-page") !== undefined;
  return plan;
}

function readRsm(rsm: Element, plan: QueryPlan, limits: PageLimits): StanzaError | undefined {
  if (rsm.getChild("index")) return new StanzaError("feature-not-implemented", "RSM <index/> is not supported");
  const max = rsm.getChildText("max");
  if (max !== undefined) {
    if (!/^\d+$/.test(max.trim())) return new StanzaError("bad-request", "RSM <max/> must be a non-negative integer");
    // §4.3.1: the server MAY limit the page; XEP-0059 §2.1: it returns fewer items then.
    plan.max = Math.min(Number(max.trim()), limits.maxPageSize);
  }
  const after = rsm.getChildText("after");
  if (after !== undefined) {
    if (after.trim() === "") return new StanzaError("bad-request", "RSM <after/> needs an id");
    plan.after = after.trim();
  }
  const before = rsm.getChildText("before");
  if (before !== undefined) plan.before = before.trim();
  return undefined;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** XEP-0082 DateTime (CCYY-MM-DDThh:mm:ss[.sss]TZD); fractions beyond milliseconds are cut. */
export function parseDateTime(text: string): Date | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const fraction = m[2] === undefined ? "" : m[2].slice(0, 4);
  const ms = Date.parse(m[1]! + fraction + m[3]!);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

export interface Page {
  /** The page, oldest first (whatever the paging direction). */
  items: ArchiveItem[];
  /** No further page in the paging direction (§4.3.2 'complete'). */
  complete: boolean;
  /** Items in the whole result set, when it can be counted cheaply (XEP-0059 <count/>). */
  count?: number;
  /** Position of the page's first item in the result set, when known (XEP-0059 <first index/>). */
  firstIndex?: number;
}

/** Runs a plan against one account's archive. Unknown ids are item-not-found (§4.1.3, §4.3.2). */
export function runQuery(store: ArchiveStore, user: string, plan: QueryPlan): Page | StanzaError {
  try {
    return page(store, user, plan);
  } catch (err) {
    if (err instanceof StoreError && err.code === "item-not-found") return new StanzaError("item-not-found", "no such item in the archive");
    throw err;
  }
}

function page(store: ArchiveStore, user: string, plan: QueryPlan): Page {
  const filter = { with: plan.with, start: plan.start, end: plan.end };
  const base: ArchiveQuery = { ...filter, ids: plan.ids };
  // The form's range and the RSM page bound combine: the later 'after', the earlier 'before'.
  base.after = boundary(store, user, plan.afterId, plan.after, "later");
  const backward = plan.before !== undefined;
  base.before = boundary(store, user, plan.beforeId, plan.before === "" ? undefined : plan.before, "earlier");

  const count = countOf(store, user, plan, base);
  if (plan.max === 0) return { items: [], complete: count === 0, count };

  // One item more than the page tells whether another page follows.
  const found = store.find(user, { ...base, limit: plan.max + 1, reverse: backward });
  const more = found.length > plan.max;
  const items = found.slice(0, plan.max);
  if (backward) items.reverse();

  let firstIndex: number | undefined;
  const unbounded = plan.afterId === undefined && plan.beforeId === undefined && plan.ids === undefined;
  if (unbounded && !backward && plan.after === undefined) firstIndex = 0;
  else if (unbounded && backward && plan.before === "" && count !== undefined) firstIndex = count - items.length;
  return { items, complete: !more, count, firstIndex };
}

/**
 * Of two ids bounding the same side of the range, the one nearer the other end; both are looked
 * up, so an unknown id is item-not-found even when the other would do.
 */
function boundary(store: ArchiveStore, user: string, a: string | undefined, b: string | undefined, keep: "later" | "earlier"): string | undefined {
  if (a === undefined || b === undefined || a === b) return a ?? b;
  // Archive order of the two (find with ids checks both exist).
  const ordered = store.find(user, { ids: [a, b] }).map((i) => i.key);
  return keep === "later" ? ordered[ordered.length - 1] : ordered[0];
}

/** The size of the whole result set, where the store can count it without reading it. */
function countOf(store: ArchiveStore, user: string, plan: QueryPlan, base: ArchiveQuery): number | undefined {
  if (plan.afterId !== undefined || plan.beforeId !== undefined) return undefined;
  if (plan.ids !== undefined) return store.find(user, { with: base.with, start: base.start, end: base.end, ids: plan.ids }).length;
  return store.count(user, { with: plan.with, start: plan.start, end: plan.end });
}
