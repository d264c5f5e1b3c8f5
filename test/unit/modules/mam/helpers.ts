// Drives the offline and mam modules through a real VirtualHost and Router with fake sessions (the
// roster/presence harness), plus small builders for the stanzas these tests send and read.
import type { Logger } from "../../../../src/log/logger.js";
import { iqModule } from "../../../../src/modules/iq/index.js";
import { createMamModule } from "../../../../src/modules/mam/index.js";
import type { MamOptions } from "../../../../src/modules/mam/options.js";
import { messageModule } from "../../../../src/modules/message/index.js";
import { createOfflineModule } from "../../../../src/modules/offline/index.js";
import type { OfflineOptions } from "../../../../src/modules/offline/options.js";
import { presenceModule } from "../../../../src/modules/presence/index.js";
import { rosterModule } from "../../../../src/modules/roster/index.js";
import type { ServerModule } from "../../../../src/server/module-api.js";
import type { StorageBackend } from "../../../../src/storage/types.js";
import { type Element, x } from "../../../../src/xml/element.js";
import { NS } from "../../../../src/xml/ns.js";
import { Jid } from "../../../../src/jid/jid.js";
import { parseFragment } from "../../../../src/xml/fragment.js";
import { DOMAIN, FakeSession, TestServer } from "../roster/harness.js";

export { DOMAIN, errorCondition, TestServer } from "../roster/harness.js";

/**
 * A fake client that also accepts serialised stanzas, as the message module sends one string to
 * every resource of a bare JID (the harness's FakeSession records elements only).
 */
export class ArchiveSession extends FakeSession {
  override send(el: Element | string): void {
    if (typeof el !== "string") return super.send(el);
    const parsed = parseFragment(el);
    if (!parsed) throw new Error(`unparsable stanza sent to a client: ${el}`);
    super.send(parsed);
  }
}

/** An authenticated, bound client session (no presence yet). */
export function connect(server: TestServer, user: string, resource: string): ArchiveSession {
  const session = new ArchiveSession(server);
  session.authenticate(user);
  session.bind(Jid.parse(`${user}@${server.domain}/${resource}`));
  return session;
}

/** A client that sent initial presence, with everything it received so far discarded. */
export async function online(server: TestServer, user: string, resource: string): Promise<ArchiveSession> {
  const session = connect(server, user, resource);
  session.presenceTo(undefined, undefined);
  await settle();
  session.take();
  return session;
}

// The namespaces as a client writes them (tests spell them out rather than import the server's).
export const MAM = "urn:xmpp:mam:2";
export const RSM = "http://jabber.org/protocol/rsm";
export const FORWARD = "urn:xmpp:forward:0";
export const SID = "urn:xmpp:sid:0";
export const HINTS = "urn:xmpp:hints";
export const DELAY = "urn:xmpp:delay";
export const CHATSTATES = "http://jabber.org/protocol/chatstates";

export interface ArchiveServerOptions {
  users?: string[];
  storage?: StorageBackend;
  offline?: Partial<OfflineOptions> | false;
  mam?: Partial<MamOptions> | false;
}

/** A host with message routing, roster, presence and (unless switched off) offline and mam. */
export function startArchiveServer(opts: ArchiveServerOptions = {}): Promise<TestServer> {
  const modules: ServerModule[] = [iqModule, rosterModule, presenceModule, messageModule];
  if (opts.offline !== false) modules.push(createOfflineModule(opts.offline ?? {}));
  if (opts.mam !== false) modules.push(createMamModule(opts.mam ?? {}));
  return TestServer.start({ users: opts.users, storage: opts.storage, modules });
}

/** Lets queued microtasks and immediates run (offline delivery follows presence handling). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function chat(to: string, body: string | undefined, attrs: Record<string, string> = {}, ...children: Element[]): Element {
  return x("message", { to, type: "chat", ...attrs }, body === undefined ? undefined : x("body", null, body), children);
}

/** Initial (or updated) presence, optionally with a priority. */
export function presence(session: ArchiveSession, priority?: number): void {
  session.presenceTo(undefined, undefined, ...(priority === undefined ? [] : [x("priority", null, String(priority))]));
}

/** Messages received by a session (and forgets everything it received). */
export function takeMessages(session: ArchiveSession): Element[] {
  return session.take().filter((el) => el.name === "message");
}

export interface QuerySpec {
  queryid?: string;
  with?: string;
  start?: string;
  end?: string;
  "before-id"?: string;
  "after-id"?: string;
  ids?: string[];
  max?: number;
  after?: string;
  /** "" is an empty <before/> (the last page). */
  before?: string;
  flip?: boolean;
  extraFields?: Element[];
}

export function mamQuery(spec: QuerySpec = {}): Element {
  const fields: Element[] = [x("field", { var: "FORM_TYPE", type: "hidden" }, x("value", null, MAM))];
  for (const name of ["with", "start", "end", "before-id", "after-id"] as const) {
    const v = spec[name];
    if (v !== undefined) fields.push(x("field", { var: name }, x("value", null, v)));
  }
  if (spec.ids) fields.push(x("field", { var: "ids" }, spec.ids.map((id) => x("value", null, id))));
  fields.push(...(spec.extraFields ?? []));
  const rsm: Element[] = [];
  if (spec.max !== undefined) rsm.push(x("max", null, String(spec.max)));
  if (spec.after !== undefined) rsm.push(x("after", null, spec.after));
  if (spec.before !== undefined) rsm.push(x("before", null, spec.before === "" ? undefined : spec.before));
  return x(
    "query",
    { xmlns: MAM, queryid: spec.queryid },
    x("x", { xmlns: NS.DATA_FORMS, type: "submit" }, fields),
    rsm.length > 0 && x("set", { xmlns: RSM }, rsm),
    spec.flip === true && x("flip-page"),
  );
}

export interface QueryOutcome {
  reply: Element;
  /** The result messages received before the reply, in order. */
  results: Element[];
  /** Archive ids of the results, in order. */
  ids: string[];
  /** The bodies of the forwarded messages, in order. */
  bodies: (string | undefined)[];
  complete: boolean;
  first?: string;
  firstIndex?: string;
  last?: string;
  count?: string;
}

/** Runs a MAM query from a session and collects what came back. */
export function runMamQuery(session: ArchiveSession, spec: QuerySpec = {}, to?: string): QueryOutcome {
  session.take();
  const reply = session.iq("set", mamQuery(spec), to);
  const results = session.take().filter((el) => el.name === "message" && el.getChild("result", MAM));
  const fin = reply.getChild("fin", MAM);
  const set = fin?.getChild("set", RSM);
  return {
    reply,
    results,
    ids: results.map((m) => m.getChild("result", MAM)!.attrs.id!),
    bodies: results.map((m) => forwardedOf(m)?.getChildText("body")),
    complete: fin?.attrs.complete === "true",
    first: set?.getChildText("first"),
    firstIndex: set?.getChild("first")?.attrs.index,
    last: set?.getChildText("last"),
    count: set?.getChildText("count"),
  };
}

/** The original stanza inside a result message. */
export function forwardedOf(result: Element): Element | undefined {
  return result.getChild("result", MAM)?.getChild("forwarded", FORWARD)?.getChild("message");
}

export function stanzaIdOf(message: Element): { by?: string; id?: string } | undefined {
  const el = message.getChild("stanza-id", SID);
  return el ? { by: el.attrs.by, id: el.attrs.id } : undefined;
}

/** Archive rows of an account, oldest first, straight from storage (after the writer's batch for this turn is committed). */
export async function archiveOf(server: TestServer, user: string, store = "archive") {
  await settle();
  return server.storage.archive(DOMAIN, store).find(user);
}

/** A logger that records what is logged, for assertions on level and message. */
export function recordingLogger(): Logger & { lines: { level: string; msg: string; obj: object }[] } {
  const lines: { level: string; msg: string; obj: object }[] = [];
  const at =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      if (typeof obj === "string") lines.push({ level, msg: obj, obj: {} });
      else lines.push({ level, msg: msg ?? "", obj });
    };
  const logger = {
    level: "trace" as const,
    lines,
    trace: at("trace"),
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    fatal: at("fatal"),
    child: () => logger,
  };
  return logger;
}
