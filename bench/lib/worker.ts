// A load-generator worker process: holds many XMPP connections (async, one event loop) and runs
// the operations the orchestrator sends over IPC (protocol.ts). It reports counters, latency
// samples and its own CPU time, so a reader can see when the generator, not the server, was the
// limit. Senders and receivers of a chat pair live in the same worker; MUC latencies use the
// wall clock (performance.timeOrigin + now), which is shared by all workers on the machine.
import { attr } from "./scan.js";
import { Samples } from "./stats.js";
import type { Scanned } from "./scan.js";
import { XmppConnection } from "./xmpp.js";
import type {
  AwaitTextArgs,
  AwaitTextResult,
  ChatStartArgs,
  ConnectArgs,
  ConnectResult,
  DrainResult,
  LoginStartArgs,
  MucJoinArgs,
  MucStartArgs,
  Reply,
  Request,
  WorkerStats,
} from "./protocol.js";

const WORKER_ID = process.env.BENCH_WORKER_ID ?? "0";
const clock = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Client {
  conn: XmppConnection;
  /** Global index (resource and nick suffix). */
  idx: number;
  user: string;
  closing: boolean;
  /** Chat: the client this one sends to; its messages come back from it. */
  partner: Client | undefined;
  target: string;
  sent: number;
  recv: number;
  inflight: number;
  expect: number;
  nick: string;
  waiter: { pred: (el: Scanned) => boolean; resolve: (el: Scanned) => void } | undefined;
}

// ---- counters since the last stats-reset ----------------------------------------------------

let stats = freshStats();
function freshStats() {
  return {
    ok: 0,
    failed: 0,
    sent: 0,
    received: 0,
    errors: {} as Record<string, number>,
    lat: new Samples(),
    cpu0: process.cpuUsage(),
    t0: performance.now(),
    dropped: 0,
  };
}

function noteError(map: Record<string, number>, message: string): void {
  // Numbers (ports, ids, timings) make every message unique; fold them.
  let key = message.replace(/\d+/g, "N").slice(0, 200);
  if (!(key in map) && Object.keys(map).length >= 20) key = "(other)";
  map[key] = (map[key] ?? 0) + 1;
}

function cpuSinceMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function snapshot(): WorkerStats {
  return {
    ok: stats.ok,
    failed: stats.failed,
    sent: stats.sent,
    received: stats.received,
    errors: stats.errors,
    latencies: stats.lat.values(),
    cpuMs: cpuSinceMs(stats.cpu0),
    wallMs: performance.now() - stats.t0,
    dropped: stats.dropped,
  };
}

// ---- connections ----------------------------------------------------------------------------

const sets = new Map<string, Client[]>();

type MessageMode = "none" | "chat" | "muc";
let messageMode: MessageMode = "none";

function dispatch(c: Client, el: Scanned): void {
  if (c.waiter !== undefined && c.waiter.pred(el)) {
    const w = c.waiter;
    c.waiter = undefined;
    w.resolve(el);
    return;
  }
  switch (el.name) {
    case "message":
      if (messageMode === "chat") onChatMessage(c, el.xml);
      else if (messageMode === "muc") onMucMessage(c, el.xml);
      return;
    case "presence":
      return;
    case "iq": {
      const type = attr(el.xml, "type");
      if (type === "get" || type === "set") {
        const from = attr(el.xml, "from");
        const id = attr(el.xml, "id") ?? "";
        const to = from === undefined ? "" : ` to='${from}'`;
        if (el.xml.includes("urn:xmpp:ping")) c.conn.write(`<iq type='result' id='${id}'${to}/>`);
        else
          c.conn.write(
            `<iq type='error' id='${id}'${to}><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`,
          );
      }
      return;
    }
    case "stream:error":
      noteError(stats.errors, `stream error: ${el.xml.slice(0, 160)}`);
      return;
    default:
      return;
  }
}

function waitFor(c: Client, pred: (el: Scanned) => boolean, timeoutMs: number): Promise<Scanned> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      c.waiter = undefined;
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    c.waiter = {
      pred,
      resolve: (el) => {
        clearTimeout(timer);
        resolve(el);
      },
    };
  });
}

function adopt(conn: XmppConnection, idx: number, user: string): Client {
  const c: Client = {
    conn,
    idx,
    user,
    closing: false,
    partner: undefined,
    target: "",
    sent: 0,
    recv: 0,
    inflight: 0,
    expect: 0,
    nick: "",
    waiter: undefined,
  };
  conn.onStanza = (el) => dispatch(c, el);
  conn.onClose = (err) => {
    if (c.closing) return;
    stats.dropped++;
    noteError(stats.errors, `connection dropped: ${err?.message ?? "closed by the server"}`);
  };
  for (const el of conn.takeQueued()) dispatch(c, el);
  return c;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
}

async function connect(a: ConnectArgs): Promise<ConnectResult> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const list = sets.get(a.tag) ?? [];
  sets.set(a.tag, list);
  const errors: Record<string, number> = {};
  const lat = new Samples();
  let ok = 0;
  let failed = 0;
  const made: Client[] = [];
  await pool(a.users, a.concurrency, async (user, i) => {
    const idx = a.firstIndex + i;
    const started = performance.now();
    try {
      const conn = await XmppConnection.login(a.ep, {
        user,
        password: a.password,
        resource: `r${idx}`,
        presence: a.presence ? "<presence/>" : false,
        timeoutMs: a.timeoutMs,
      });
      lat.add(performance.now() - started);
      made[i] = adopt(conn, idx, user);
      ok++;
    } catch (err) {
      failed++;
      noteError(errors, (err as Error).message);
    }
  });
  // Keep the global order (pairs are neighbours), skipping failures.
  for (const c of made) if (c) list.push(c);
  return { ok, failed, errors, latencies: lat.values(), wallMs: performance.now() - t0, cpuMs: cpuSinceMs(cpu0) };
}

/**
 * Broadcast: resolves once every client of the tag has a message containing `text`, or when the
 * time is up. Receipt times are wall clock, which all workers on the machine share.
 */
async function awaitText(a: AwaitTextArgs): Promise<AwaitTextResult> {
  const list = sets.get(a.tag) ?? [];
  const isIt = (el: Scanned) => el.name === "message" && el.xml.includes(a.text);
  const times = await Promise.all(list.map((c) => waitFor(c, isIt, a.timeoutMs).then(clock, () => undefined)));
  let received = 0;
  let firstAt = Infinity;
  let lastAt = 0;
  for (const t of times) {
    if (t === undefined) continue;
    received++;
    if (t < firstAt) firstAt = t;
    if (t > lastAt) lastAt = t;
  }
  return { clients: list.length, received, firstAt: received > 0 ? firstAt : 0, lastAt };
}

async function closeTag(tag: string): Promise<{ closed: number }> {
  const list = sets.get(tag) ?? [];
  sets.delete(tag);
  for (const c of list) c.closing = true;
  await pool(list, 500, (c) => c.conn.close(3000));
  return { closed: list.length };
}

// ---- W1: login loop ---------------------------------------------------------------------------

let loginRun: { running: boolean; lanes: Promise<void>[]; lingering: Set<Promise<void>>; next: number } | undefined;

function loginStart(a: LoginStartArgs): void {
  const run = { running: true, lanes: [] as Promise<void>[], lingering: new Set<Promise<void>>(), next: 0 };
  loginRun = run;
  const lane = async () => {
    while (run.running) {
      const i = run.next++;
      const user = a.users[i % a.users.length]!;
      const started = performance.now();
      try {
        const conn = await XmppConnection.login(a.ep, {
          user,
          password: a.password,
          resource: `w${WORKER_ID}l${i}`,
          presence: a.presence ? "<presence/>" : false,
          timeoutMs: a.timeoutMs,
        });
        stats.ok++;
        stats.lat.add(performance.now() - started);
        const closing = conn.close(3000);
        run.lingering.add(closing);
        void closing.then(() => run.lingering.delete(closing));
      } catch (err) {
        stats.failed++;
        noteError(stats.errors, (err as Error).message);
        await sleep(20);
      }
    }
  };
  for (let i = 0; i < a.inFlight; i++) run.lanes.push(lane());
}

async function loginStop(): Promise<{ lingering: number }> {
  const run = loginRun;
  if (!run) return { lingering: 0 };
  run.running = false;
  await Promise.all(run.lanes);
  const lingering = run.lingering.size;
  await Promise.all([...run.lingering]);
  loginRun = undefined;
  return { lingering };
}

// ---- W3: one-to-one chat ----------------------------------------------------------------------

let pad = "";
function body(t: number, seq: number, idx: number, bytes: number): string {
  const head = `${t.toFixed(3)}:${seq}:${idx}:`;
  if (pad.length < bytes) pad = "x".repeat(bytes);
  return head.length >= bytes ? head : head + pad.slice(0, bytes - head.length);
}

interface Run {
  running: boolean;
  mode: "window" | "rate";
  window: number;
  bodyBytes: number;
  timer: NodeJS.Timeout | undefined;
  clients: Client[];
  senders: Client[];
  dupes: number;
  errored: number;
  room: string;
}
let chat: Run | undefined;
let muc: Run | undefined;

function sendChat(s: Client, t: number, bytes: number): void {
  const seq = s.sent++;
  s.inflight++;
  stats.sent++;
  s.conn.write(`<message to='${s.target}' type='chat' id='m${seq}'><body>${body(t, seq, s.idx, bytes)}</body></message>`);
}

function parseBody(xml: string): { t: number; seq: number; idx: number } | undefined {
  const b = xml.indexOf("<body>");
  if (b < 0) return undefined;
  const e1 = xml.indexOf(":", b + 6);
  const e2 = xml.indexOf(":", e1 + 1);
  const e3 = xml.indexOf(":", e2 + 1);
  if (e1 < 0 || e2 < 0 || e3 < 0) return undefined;
  return { t: Number(xml.slice(b + 6, e1)), seq: Number(xml.slice(e1 + 1, e2)), idx: Number(xml.slice(e2 + 1, e3)) };
}

function isError(xml: string): boolean {
  const t = attr(xml, "type");
  return t === "error";
}

function onChatMessage(c: Client, xml: string): void {
  const run = chat;
  if (!run) return;
  if (isError(xml)) {
    // A bounce comes back to the sender.
    run.errored++;
    noteError(stats.errors, `message error: ${xml.slice(xml.indexOf("<error"), xml.indexOf("<error") + 160)}`);
    c.inflight--;
    if (run.mode === "window" && run.running) sendChat(c, clock(), run.bodyBytes);
    return;
  }
  const m = parseBody(xml);
  if (!m) return;
  stats.received++;
  stats.lat.add(clock() - m.t);
  c.recv++;
  if (m.seq < c.expect) run.dupes++;
  else c.expect = m.seq + 1;
  const s = c.partner;
  if (!s) return;
  s.inflight--;
  if (run.mode === "window" && run.running) sendChat(s, clock(), run.bodyBytes);
}

function startRate(run: Run, rate: number, send: (s: Client, intended: number) => void): void {
  const start = clock();
  let k = 0;
  let rr = 0;
  const n = run.senders.length;
  if (n === 0 || rate <= 0) return;
  const tick = () => {
    // Message k is due at start + k/rate: the first one immediately, none a period late.
    const due = Math.floor(((clock() - start) * rate) / 1000) + 1;
    for (let burst = 0; k < due && burst < 20_000; burst++, k++) {
      send(run.senders[rr++ % n]!, start + (k * 1000) / rate);
    }
  };
  tick();
  run.timer = setInterval(tick, 2);
}

function chatStart(a: ChatStartArgs): { pairs: number } {
  const clients = sets.get(a.tag) ?? [];
  const senders: Client[] = [];
  for (let i = 0; i + 1 < clients.length; i += 2) {
    const x = clients[i]!;
    const y = clients[i + 1]!;
    x.partner = y;
    y.partner = x;
    x.target = a.to === "full" ? y.conn.jid : `${y.user}@${y.conn.domain}`;
    y.target = a.to === "full" ? x.conn.jid : `${x.user}@${x.conn.domain}`;
    senders.push(x, y);
  }
  for (const c of clients) {
    c.sent = c.recv = c.inflight = c.expect = 0;
  }
  const run: Run = {
    running: true,
    mode: a.mode,
    window: a.window,
    bodyBytes: a.bodyBytes,
    timer: undefined,
    clients,
    senders,
    dupes: 0,
    errored: 0,
    room: "",
  };
  chat = run;
  messageMode = "chat";
  if (a.mode === "window") {
    for (let w = 0; w < a.window; w++) for (const s of senders) sendChat(s, clock(), a.bodyBytes);
  } else {
    startRate(run, a.rate, (s, t) => sendChat(s, t, a.bodyBytes));
  }
  return { pairs: senders.length / 2 };
}

async function chatStop(tag: string, drainMs: number): Promise<DrainResult> {
  const run = chat;
  if (!run) throw new Error("no chat run");
  run.running = false;
  if (run.timer) clearInterval(run.timer);
  const deadline = Date.now() + drainMs;
  const pending = () => run.senders.some((c) => c.partner !== undefined && c.recv < c.partner.sent);
  while (pending() && Date.now() < deadline) await sleep(20);
  let sent = 0;
  let received = 0;
  let lost = 0;
  for (const c of run.senders) {
    sent += c.sent;
    received += c.recv;
    if (c.partner) lost += Math.max(0, c.partner.sent - c.recv);
  }
  chat = undefined;
  messageMode = "none";
  void tag;
  return { sent, received, lost, dupes: run.dupes, errors: { ...stats.errors }, errored: run.errored };
}

// ---- W4: groupchat ----------------------------------------------------------------------------

const NS_MUC = "http://jabber.org/protocol/muc";

async function mucJoin(a: MucJoinArgs): Promise<{ joined: number; failed: number; errors: Record<string, number>; created: boolean; wallMs: number }> {
  const t0 = performance.now();
  const clients = (sets.get(a.tag) ?? []).slice(a.from, a.to);
  const errors: Record<string, number> = {};
  let joined = 0;
  let failed = 0;
  let created = false;
  await pool(clients, a.concurrency, async (c) => {
    c.nick = `n${c.idx}`;
    const full = `${a.room}/${c.nick}`;
    const self = waitFor(
      c,
      (el) => el.name === "presence" && attr(el.xml, "from") === full && (/code=['"]110['"]/.test(el.xml) || attr(el.xml, "type") === "error"),
      a.timeoutMs,
    );
    c.conn.write(`<presence to='${full}'><x xmlns='${NS_MUC}'><history maxstanzas='0'/></x></presence>`);
    try {
      const el = await self;
      if (attr(el.xml, "type") === "error") throw new Error(`join refused: ${el.xml.slice(el.xml.indexOf("<error"), el.xml.indexOf("<error") + 200)}`);
      if (a.configure && /code=['"]201['"]/.test(el.xml)) {
        created = true;
        const done = waitFor(c, (x) => x.name === "iq" && attr(x.xml, "id") === "cfg1", a.timeoutMs);
        c.conn.write(
          `<iq type='set' to='${a.room}' id='cfg1'><query xmlns='${NS_MUC}#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>`,
        );
        const res = await done;
        if (attr(res.xml, "type") !== "result") throw new Error(`room configuration refused: ${res.xml.slice(0, 200)}`);
      }
      joined++;
    } catch (err) {
      failed++;
      noteError(errors, (err as Error).message);
    }
  });
  return { joined, failed, errors, created, wallMs: performance.now() - t0 };
}

function sendMuc(run: Run, s: Client, t: number): void {
  const seq = s.sent++;
  s.inflight++;
  stats.sent++;
  s.conn.write(`<message to='${run.room}' type='groupchat' id='g${seq}'><body>${body(t, seq, s.idx, run.bodyBytes)}</body></message>`);
}

function onMucMessage(c: Client, xml: string): void {
  const run = muc;
  if (!run) return;
  if (isError(xml)) {
    run.errored++;
    noteError(stats.errors, `groupchat error: ${xml.slice(xml.indexOf("<error"), xml.indexOf("<error") + 160)}`);
    c.inflight--;
    if (run.mode === "window" && run.running) sendMuc(run, c, clock());
    return;
  }
  const m = parseBody(xml);
  if (!m) return;
  stats.received++;
  stats.lat.add(clock() - m.t);
  c.recv++;
  if (m.idx === c.idx) {
    c.inflight--;
    if (run.mode === "window" && run.running) sendMuc(run, c, clock());
  }
}

function mucStart(a: MucStartArgs): { senders: number } {
  const clients = (sets.get(a.tag) ?? []).filter((c) => c.nick !== "");
  for (const c of clients) c.sent = c.recv = c.inflight = c.expect = 0;
  const run: Run = {
    running: true,
    mode: a.mode,
    window: a.window,
    bodyBytes: a.bodyBytes,
    timer: undefined,
    clients,
    senders: clients.slice(0, a.senders),
    dupes: 0,
    errored: 0,
    room: a.room,
  };
  muc = run;
  messageMode = "muc";
  if (a.mode === "window") {
    for (let w = 0; w < a.window; w++) for (const s of run.senders) sendMuc(run, s, clock());
  } else {
    startRate(run, a.rate, (s, t) => sendMuc(run, s, t));
  }
  return { senders: run.senders.length };
}

function mucStopSend(): { sent: number } {
  const run = muc;
  if (!run) throw new Error("no groupchat run");
  run.running = false;
  if (run.timer) clearInterval(run.timer);
  let sent = 0;
  for (const s of run.senders) sent += s.sent;
  return { sent };
}

async function mucDrain(expected: number, drainMs: number): Promise<DrainResult> {
  const run = muc;
  if (!run) throw new Error("no groupchat run");
  const deadline = Date.now() + drainMs;
  while (run.clients.some((c) => c.recv < expected) && Date.now() < deadline) await sleep(20);
  let received = 0;
  let lost = 0;
  let sent = 0;
  for (const c of run.clients) {
    received += c.recv;
    lost += Math.max(0, expected - c.recv);
  }
  for (const s of run.senders) sent += s.sent;
  muc = undefined;
  messageMode = "none";
  return { sent, received, lost, dupes: 0, errors: { ...stats.errors }, errored: run.errored };
}

// ---- IPC --------------------------------------------------------------------------------------

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case "login-start":
      loginStart(req.args);
      return {};
    case "login-stop":
      return await loginStop();
    case "connect":
      return await connect(req.args);
    case "close":
      return await closeTag(req.args.tag);
    case "chat-start":
      return chatStart(req.args);
    case "chat-stop":
      return await chatStop(req.args.tag, req.args.drainMs);
    case "muc-join":
      return await mucJoin(req.args);
    case "muc-start":
      return mucStart(req.args);
    case "muc-stop-send":
      return mucStopSend();
    case "muc-drain":
      return await mucDrain(req.args.expectedPerClient, req.args.drainMs);
    case "await-text":
      return await awaitText(req.args);
    case "stats-reset":
      stats = freshStats();
      return {};
    case "stats":
      return snapshot();
    case "exit":
      for (const list of sets.values()) for (const c of list) {
        c.closing = true;
        c.conn.destroy();
      }
      setTimeout(() => process.exit(0), 50);
      return {};
  }
}

if (typeof process.send !== "function") {
  console.error("bench worker: start me through the orchestrator (needs an IPC channel)");
  process.exit(2);
}
process.on("message", (msg: Request) => {
  handle(msg).then(
    (result) => process.send!({ id: msg.id, ok: true, result } satisfies Reply),
    (err: unknown) => process.send!({ id: msg.id, ok: false, error: (err as Error).stack ?? String(err) } satisfies Reply),
  );
});
process.on("disconnect", () => process.exit(0));
