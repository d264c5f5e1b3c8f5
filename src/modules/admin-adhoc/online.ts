// What the detailed online-users command reports per connected resource. Client name/version come
// from a XEP-0092 query to the client (best effort: bounded wait, remembered per session), idle
// time from the presence's XEP-0319 <idle/> or legacy XEP-0256 last-activity child.
import { randomBytes } from "node:crypto";
import type { StanzaEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import type { ModuleContext } from "../../server/module-api.js";
import type { Session } from "../../stream/session.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";

const IDLE_NS = "urn:xmpp:idle:1";

export interface ClientVersion {
  name: string;
  version: string;
}

/** One row of `chatctl users online` (its --json shape is documented in the man page). */
export interface OnlineResource {
  jid: string;
  resource: string;
  ip: string;
  port: number;
  /** ISO 8601 */
  since: string;
  tls: string | null;
  client: string | null;
  clientVersion: string | null;
  show: string;
  status: string;
  priority: number;
  /** Seconds idle, when the client says so. */
  idle: number | null;
}

export class VersionProber {
  private readonly known = new WeakMap<Session, ClientVersion | null>();
  private readonly pending = new Map<string, (v: ClientVersion | null) => void>();

  constructor(private readonly ctx: ModuleContext) {
    // Results of our own queries come back addressed to the host; claim only those.
    ctx.hook<StanzaEvent>("iq/host", (ev) => {
      const id = ev.stanza.attrs.id;
      const t = ev.stanza.attrs.type;
      if (id === undefined || (t !== "result" && t !== "error")) return undefined;
      const resolve = this.pending.get(id);
      if (!resolve) return undefined;
      this.pending.delete(id);
      const q = ev.stanza.getChild("query", NS.VERSION);
      resolve(t === "result" && q ? { name: q.getChildText("name") ?? "", version: q.getChildText("version") ?? "" } : null);
      return true;
    }, Priority.FILTER);
  }

  /** The versions of these sessions, asking those not asked before; waits at most `timeoutMs`. */
  async probe(sessions: Session[], timeoutMs: number): Promise<Map<Session, ClientVersion | null>> {
    const out = new Map<Session, ClientVersion | null>();
    const asks: Promise<void>[] = [];
    for (const s of sessions) {
      if (this.known.has(s)) {
        out.set(s, this.known.get(s) ?? null);
        continue;
      }
      if (!s.jid) continue;
      const id = "ver-" + randomBytes(6).toString("hex");
      asks.push(
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            // No answer in time: unknown this time; the next listing asks again.
            this.pending.delete(id);
            out.set(s, null);
            resolve();
          }, timeoutMs);
          timer.unref();
          this.pending.set(id, (v) => {
            clearTimeout(timer);
            this.known.set(s, v);
            out.set(s, v);
            resolve();
          });
        }),
      );
      this.ctx.route(x("iq", { type: "get", id, from: this.ctx.host, to: s.jid.toString() }, x("query", { xmlns: NS.VERSION })));
    }
    await Promise.all(asks);
    return out;
  }
}

export function describeSession(s: Session, version: ClientVersion | null | undefined, now = Date.now()): OnlineResource {
  const p = s.presence;
  return {
    jid: s.jid?.toString() ?? "",
    resource: s.jid?.resource ?? "",
    ip: s.remoteAddress,
    port: s.remotePort,
    since: s.connectedAt.toISOString(),
    tls: s.tlsVersion ?? null,
    client: version?.name || null,
    clientVersion: version?.version || null,
    show: p ? (p.getChildText("show") ?? "available") : "unavailable",
    status: p?.getChildText("status") ?? "",
    priority: s.priority,
    idle: p ? idleSeconds(p, now) : null,
  };
}

function idleSeconds(presence: NonNullable<Session["presence"]>, now: number): number | null {
  const since = presence.getChild("idle", IDLE_NS)?.attrs.since;
  if (since !== undefined) {
    const t = Date.parse(since);
    if (!Number.isNaN(t)) return Math.max(0, Math.floor((now - t) / 1000));
  }
  const seconds = presence.getChild("query", NS.LAST)?.attrs.seconds;
  if (seconds !== undefined && /^\d+$/.test(seconds)) return Number(seconds);
  return null;
}

/** The columns of the detailed result table, in order (field var = OnlineResource key). */
export const ONLINE_COLUMNS: ReadonlyArray<{ key: keyof OnlineResource; label: string }> = [
  { key: "jid", label: "JID" },
  { key: "resource", label: "Resource" },
  { key: "ip", label: "IP address" },
  { key: "port", label: "Port" },
  { key: "since", label: "Connected since" },
  { key: "tls", label: "TLS" },
  { key: "client", label: "Client" },
  { key: "clientVersion", label: "Client version" },
  { key: "show", label: "Show" },
  { key: "status", label: "Status" },
  { key: "priority", label: "Priority" },
  { key: "idle", label: "Idle (s)" },
];
