// The XEP-0050 command engine without sockets or a bus: the registry of commands, the execution
// sessions (sessionid, stages, prev/next/complete/cancel, expiry) and the <command/> replies.
// index.ts adapts it to the server (disco, IQ, unbind); tests drive it directly.
import { randomBytes } from "node:crypto";
import type { Jid } from "../../jid/jid.js";
import { StanzaError } from "../../stanza/errors.js";
import type { Session } from "../../stream/session.js";
import { type Element, x } from "../../xml/element.js";
import { buildForm, type DataForm, findForm } from "./forms.js";
import { ADHOC_NS } from "./ns.js";

/** §3.4 actions a requester may send. */
export type AdhocAction = "execute" | "next" | "prev" | "complete" | "cancel";
/** The actions a stage can offer (execute and cancel are always possible). */
export type StageAction = "prev" | "next" | "complete";

export interface AdhocNote {
  type: "info" | "warn" | "error";
  text: string;
}

/** What a command handler sees at each step. `data` is its own scratch space for the session. */
export interface AdhocSessionState {
  readonly node: string;
  readonly sessionId: string;
  /** The requester's full JID. */
  readonly from: Jid;
  /** The requester's local session, when it is a client of this server. */
  readonly origin: Session | undefined;
  /** What the requester asked for (execute is resolved to the stage's default action). */
  readonly action: "execute" | "next" | "complete";
  /** 0 on the first request; n when the form of the n-th executing reply is submitted. */
  readonly stage: number;
  readonly data: Record<string, unknown>;
}

/** §4.4: more stages follow; `actions` are offered, `defaultAction` is what execute means. */
export interface AdhocExecuting {
  status: "executing";
  form: DataForm;
  actions?: StageAction[];
  defaultAction?: Exclude<StageAction, "prev">;
  notes?: AdhocNote[];
}

export interface AdhocCompleted {
  status: "completed";
  form?: DataForm;
  notes?: AdhocNote[];
}

export type AdhocResult = AdhocExecuting | AdhocCompleted | StanzaError;

/** What other modules register (provideAdhocCommand in index.ts). */
export interface AdhocCommand {
  node: string;
  name: string;
  /** "admin" commands are listed to, and run for, administrators only (checked at every step). */
  permission: "user" | "admin";
  handler(state: AdhocSessionState, form: DataForm | undefined): AdhocResult | Promise<AdhocResult>;
}

export interface AdhocEngineOptions {
  isAdmin(jid: Jid): boolean;
  /** A session unused this long is gone (§3.4 session-expired). Default 10 minutes. */
  sessionTtlMs?: number;
  /** Open sessions one requester may hold; the least recently used is dropped beyond it. Default 16. */
  maxSessionsPerRequester?: number;
  now?: () => number;
}

interface ExecSession {
  id: string;
  node: string;
  owner: string;
  data: Record<string, unknown>;
  /** The executing replies sent so far, newest last (the stack `prev` walks back). */
  history: AdhocExecuting[];
  touched: number;
  busy: boolean;
}

/** §4.6 application-specific conditions, in the commands namespace. */
export type AdhocCondition = "bad-action" | "bad-locale" | "bad-payload" | "bad-sessionid" | "malformed-action" | "session-expired";

export function adhocError(condition: AdhocCondition, text?: string): StanzaError {
  const app = x(condition, { xmlns: ADHOC_NS.COMMANDS });
  // §4.6: every condition is a bad-request, except session-expired which is not-allowed.
  return condition === "session-expired" ? new StanzaError("not-allowed", text, undefined, app) : new StanzaError("bad-request", text, undefined, app);
}

/** A submitted form is missing or wrong (§4.6 bad-payload). */
export function badPayload(text: string): StanzaError {
  return adhocError("bad-payload", text);
}

const ACTIONS: readonly string[] = ["execute", "next", "prev", "complete", "cancel"];

export class AdhocEngine {
  private readonly commands = new Map<string, AdhocCommand>();
  private readonly sessions = new Map<string, ExecSession>();
  private readonly ttl: number;
  private readonly maxPerRequester: number;
  private readonly now: () => number;

  constructor(private readonly opts: AdhocEngineOptions) {
    this.ttl = opts.sessionTtlMs ?? 10 * 60_000;
    this.maxPerRequester = opts.maxSessionsPerRequester ?? 16;
    this.now = opts.now ?? Date.now;
  }

  /** Registers a command; returns the function that removes it (and its open sessions). */
  register(cmd: AdhocCommand): () => void {
    if (this.commands.has(cmd.node)) throw new Error(`ad-hoc command ${cmd.node} is already registered`);
    this.commands.set(cmd.node, cmd);
    return () => {
      if (this.commands.get(cmd.node) !== cmd) return;
      this.commands.delete(cmd.node);
      for (const [id, s] of this.sessions) if (s.node === cmd.node) this.sessions.delete(id);
    };
  }

  /** §2.2: the commands this requester may run, sorted by node. */
  list(requester: Jid): AdhocCommand[] {
    return [...this.commands.values()].filter((c) => this.allowed(c, requester)).sort((a, b) => (a.node < b.node ? -1 : 1));
  }

  /** §2.3: the command behind a node, or why the requester may not see it. */
  lookup(node: string, requester: Jid): AdhocCommand | StanzaError {
    const cmd = this.commands.get(node);
    if (!cmd) return new StanzaError("item-not-found");
    return this.allowed(cmd, requester) ? cmd : new StanzaError("forbidden");
  }

  get openSessions(): number {
    return this.sessions.size;
  }

  /**
   * Runs one <command/> request (§3) and returns the <command/> reply or the error. `trusted`
   * requests (the local admin socket, whose file permissions are the credential) have admin rights.
   */
  async execute(requester: Jid, origin: Session | undefined, payload: Element, trusted = false): Promise<Element | StanzaError> {
    const node = payload.attrs.node;
    if (node === undefined) return new StanzaError("bad-request", "the command has no node");
    const actionAttr = payload.attrs.action ?? "execute";
    if (!ACTIONS.includes(actionAttr)) return adhocError("malformed-action", `unknown action "${actionAttr}"`);
    const action = actionAttr as AdhocAction;
    const cmd = trusted ? (this.commands.get(node) ?? new StanzaError("item-not-found")) : this.lookup(node, requester);
    if (cmd instanceof StanzaError) return cmd;

    const sid = payload.attrs.sessionid;
    if (sid === undefined) {
      // A new session starts with execute (or a client that submits straight away).
      if (action === "cancel" || action === "prev") return adhocError("bad-sessionid", "no session to " + action);
      const session = this.open(cmd, requester);
      return await this.step(cmd, session, requester, origin, action === "execute" ? "execute" : action, findForm(payload));
    }

    const session = this.sessions.get(sid);
    if (!session || session.owner !== requester.toString() || session.node !== node) return adhocError("bad-sessionid", "unknown session");
    if (this.now() - session.touched > this.ttl) {
      this.sessions.delete(sid);
      return adhocError("session-expired");
    }
    if (session.busy) return new StanzaError("unexpected-request", "the previous step of this session is still running");
    session.touched = this.now();

    if (action === "cancel") {
      this.sessions.delete(sid);
      return reply(node, sid, "canceled");
    }
    const current = session.history[session.history.length - 1];
    if (action === "prev") {
      if (!current?.actions?.includes("prev") || session.history.length < 2) return adhocError("bad-action", "there is no previous stage");
      session.history.pop();
      return executingReply(node, sid, session.history[session.history.length - 1]!);
    }
    if (current && action !== "execute" && !(current.actions ?? ["complete"]).includes(action)) {
      return adhocError("bad-action", `"${action}" is not offered at this stage`);
    }
    return await this.step(cmd, session, requester, origin, action, findForm(payload));
  }

  /** Forgets the sessions of a requester that went away (its full JID). */
  endRequester(jid: Jid): void {
    const owner = jid.toString();
    for (const [id, s] of this.sessions) if (s.owner === owner) this.sessions.delete(id);
  }

  /** Drops expired sessions; returns how many. */
  sweep(): number {
    const limit = this.now() - this.ttl;
    let n = 0;
    for (const [id, s] of this.sessions) {
      if (s.touched < limit && !s.busy) {
        this.sessions.delete(id);
        n++;
      }
    }
    return n;
  }

  private allowed(cmd: AdhocCommand, requester: Jid): boolean {
    return cmd.permission === "user" || this.opts.isAdmin(requester);
  }

  private open(cmd: AdhocCommand, requester: Jid): ExecSession {
    const owner = requester.toString();
    const mine = [...this.sessions.values()].filter((s) => s.owner === owner).sort((a, b) => a.touched - b.touched);
    while (mine.length >= this.maxPerRequester) this.sessions.delete(mine.shift()!.id);
    const session: ExecSession = { id: randomBytes(9).toString("base64url"), node: cmd.node, owner, data: {}, history: [], touched: this.now(), busy: false };
    this.sessions.set(session.id, session);
    return session;
  }

  private async step(
    cmd: AdhocCommand,
    session: ExecSession,
    from: Jid,
    origin: Session | undefined,
    action: "execute" | "next" | "complete",
    form: DataForm | undefined,
  ): Promise<Element | StanzaError> {
    const current = session.history[session.history.length - 1];
    const resolved = action === "execute" && current ? (current.defaultAction ?? "complete") : action;
    const state: AdhocSessionState = { node: cmd.node, sessionId: session.id, from, origin, action: resolved, stage: session.history.length, data: session.data };
    // A submitted cancel form (XEP-0004 §3.1) is the same as action="cancel".
    if (form?.type === "cancel") {
      this.sessions.delete(session.id);
      return reply(cmd.node, session.id, "canceled");
    }
    session.busy = true;
    let result: AdhocResult;
    try {
      result = await cmd.handler(state, form);
    } catch (err) {
      this.sessions.delete(session.id);
      throw err;
    } finally {
      session.busy = false;
    }
    session.touched = this.now();
    if (result instanceof StanzaError) {
      // A bad submission keeps the session so the requester can correct it; a first step that
      // fails leaves nothing behind.
      if (session.history.length === 0) this.sessions.delete(session.id);
      return result;
    }
    if (result.status === "completed") {
      this.sessions.delete(session.id);
      return reply(cmd.node, session.id, "completed", result.notes, result.form);
    }
    session.history.push(result);
    return executingReply(cmd.node, session.id, result);
  }
}

function executingReply(node: string, sid: string, r: AdhocExecuting): Element {
  const actions = r.actions ?? ["complete"];
  const def = r.defaultAction ?? (actions.includes("next") ? "next" : "complete");
  // §3.4: <actions/> lists what may follow; its execute attribute names the default.
  return reply(node, sid, "executing", r.notes, r.form, x("actions", { execute: def }, actions.map((a) => x(a))));
}

function reply(node: string, sid: string, status: "executing" | "completed" | "canceled", notes: AdhocNote[] = [], form?: DataForm, actions?: Element): Element {
  return x(
    "command",
    { xmlns: ADHOC_NS.COMMANDS, node, sessionid: sid, status },
    actions,
    notes.map((n) => x("note", { type: n.type }, n.text)),
    form && buildForm(form),
  );
}
