// Archive storage benchmark (never part of `npm test`): the SQLite archive under the load the
// mam module and `chatctl mam purge` put on it. `--help` lists the flags; bench/README.md
// ("The archive benchmark") explains every figure.
// 1. archives N messages (default 1,000,000) into a temp SQLite file through the mam module's
//    ArchiveWriter, flushed every --batch messages (one transaction; plus a sample appended one commit each, the path used
//    when the host does not expose transactions). Each batch's stanzas are built before its
//    transaction is timed: the figures are the archive's, not the generator's;
// 2. times the query a client scrolling a conversation makes: `with` filter, last page of 50
//    (RSM <before/>), through the module's query code, and the same with the 50 result stanzas
//    built; reports median and p99;
// 3. times `chatctl mam stats`' aggregate (ArchiveStore.summary);
// 4. purges the older half with services/archive-retention.ts and reports its time and the peak
//    RSS sampled after every batch.
// Wall-clock and CPU time are both reported: on a shared machine the first includes waiting for a
// CPU; bytes written (/proc/self/io) show what the disk had to take.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { silentLogger } from "../../src/log/logger.js";
import { parseQuery, runQuery, type QueryPlan } from "../../src/modules/mam/query.js";
import { ArchiveWriter } from "../../src/modules/mam/writer.js";
import { resultMessage } from "../../src/modules/mam/results.js";
import { purgeArchive, storageSize } from "../../src/services/archive-retention.js";
import { openSqliteStorage } from "../../src/storage/sqlite/storage.js";
import { StanzaError } from "../../src/stanza/errors.js";
import { x } from "../../src/xml/element.js";

const HOST = "bench.example";
const SPAN_MS = 100 * 24 * 60 * 60 * 1000; // the archive covers 100 days

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "1000000" },
    users: { type: "string", default: "100" },
    contacts: { type: "string", default: "20" },
    batch: { type: "string", default: "1000" },
    "purge-batch": { type: "string" },
    queries: { type: "string", default: "2000" },
    "autocommit-sample": { type: "string", default: "5000" },
    dir: { type: "string" },
    keep: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (args.help) {
  console.log(`usage: node dist/bench/archive/run.js [options]

  --messages N           messages archived (default 1000000)
  --users N              accounts owning them (default 100)
  --contacts N           partners of each account, written to in turn (default 20)
  --batch N              messages per transaction, as the archive writer commits a busy tick (default 1000)
  --queries N            'with' queries for the last page of 50 (default 2000)
  --purge-batch N        items per purge transaction (default: the purge's own, 1000)
  --autocommit-sample N  messages appended with one commit each (default 5000)
  --dir DIR              where the temporary database goes (default the OS temp directory)
  --keep                 keep the database file
  --json                 print one JSON object of the figures instead of text

example: node dist/bench/archive/run.js --messages 200000 --json`);
  process.exit(0);
}
const N = Number(args.messages);
const USERS = Number(args.users);
const CONTACTS = Number(args.contacts);
const BATCH = Number(args.batch);
const QUERIES = Number(args.queries);
const AUTOCOMMIT_SAMPLE = Number(args["autocommit-sample"]);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Bytes this process caused to be written to storage (Linux), or undefined elsewhere. */
function writtenBytes(): number | undefined {
  if (!existsSync("/proc/self/io")) return undefined;
  const m = /^write_bytes: (\d+)$/m.exec(readFileSync("/proc/self/io", "utf8"));
  return m ? Number(m[1]) : undefined;
}

function delta(after: number | undefined, before: number | undefined): number | undefined {
  return after === undefined || before === undefined ? undefined : after - before;
}

/** CPU seconds (user + system) this process used since `since`. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/** A realistic one-to-one chat stanza as stored (~330 bytes). */
function stanza(user: string, contact: string, i: number, incoming: boolean): string {
  const me = `${user}@${HOST}/phone`;
  const other = `${contact}/laptop`;
  return x(
    "message",
    { from: incoming ? other : me, to: incoming ? `${user}@${HOST}` : contact, type: "chat", id: `m${i.toString(36)}` },
    x("body", null, `message number ${i}: a line of ordinary chat text, not too short`),
    x("origin-id", { xmlns: "urn:xmpp:sid:0", id: `o${i.toString(36)}-${user}` }),
    x("markable", { xmlns: "urn:xmpp:chat-markers:0" }),
    x("active", { xmlns: "http://jabber.org/protocol/chatstates" }),
  ).toString();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(args.dir ?? tmpdir(), "archive-bench-"));
  const path = join(dir, "archive.sqlite");
  const storage = openSqliteStorage(path);
  const archive = storage.archive(HOST, "archive");
  const writer = new ArchiveWriter(archive, (fn) => storage.transaction(fn), silentLogger());
  const users = Array.from({ length: USERS }, (_, i) => `user${i}`);
  const contacts = Array.from({ length: CONTACTS }, (_, i) => `contact${i}@remote.example`);
  const start = Date.now() - SPAN_MS;
  const out: Record<string, number | string> = { messages: N, users: USERS, contacts: CONTACTS, batch: BATCH };
  const say = (line: string) => {
    if (!args.json) console.log(line);
  };
  try {
    say(`archiving ${N.toLocaleString("en")} messages (${USERS} users × ${CONTACTS} contacts) into ${path}`);
    // Message i belongs to user i % USERS, with contact (i / USERS) % CONTACTS, at an even pace
    // over the span: every user's archive is in time order, as a live server writes it.
    let insertWall = 0;
    let insertCpu = 0;
    const batchMs: number[] = [];
    const written0 = writtenBytes();
    const g0 = process.cpuUsage();
    for (let done = 0; done < N; ) {
      const end = Math.min(N, done + BATCH);
      const batch: { user: string; value: string; with: string; when: Date }[] = [];
      for (let i = done; i < end; i++) {
        const user = users[i % USERS]!;
        const contact = contacts[Math.floor(i / USERS) % CONTACTS]!;
        batch.push({ user, value: stanza(user, contact, i, i % 2 === 0), with: `${contact}/laptop`, when: new Date(start + Math.floor((i / N) * SPAN_MS)) });
      }
      // The mam module's path: the writer hands out keys at once and commits one tick's messages
      // in one transaction when flushed.
      const t = performance.now();
      const c = process.cpuUsage();
      for (const m of batch) writer.append(m.user, m.value, { with: m.with, when: m.when });
      writer.flush();
      insertCpu += cpuSeconds(c);
      const ms = performance.now() - t;
      insertWall += ms / 1000;
      batchMs.push(ms);
      done = end;
    }
    const generatorCpu = cpuSeconds(g0) - insertCpu;
    const insertWritten = delta(writtenBytes(), written0);
    batchMs.sort((p, q) => p - q);
    out.insert_per_s = Math.round(N / insertWall);
    out.insert_per_cpu_s = Math.round(N / insertCpu);
    out.insert_cpu_us = Math.round((insertCpu / N) * 1e7) / 10;
    out.insert_seconds = Math.round(insertWall * 10) / 10;
    out.batch_p50_ms = Math.round(percentile(batchMs, 50) * 10) / 10;
    out.batch_p99_ms = Math.round(percentile(batchMs, 99) * 10) / 10;
    out.generator_cpu_us = Math.round((generatorCpu / N) * 1e7) / 10;
    if (insertWritten !== undefined) out.insert_written_bytes_per_msg = Math.round(insertWritten / N);
    out.db_mib = mib(storage.sizeBytes());
    out.db_bytes_per_msg = Math.round(storage.sizeBytes() / N);
    say(
      `  ${out.insert_per_s.toLocaleString("en")} inserts/s in transactions of ${BATCH} (${out.insert_seconds} s; ` +
        `${out.insert_per_cpu_s.toLocaleString("en")} per CPU-second = ${out.insert_cpu_us} µs CPU each; database ${out.db_mib} MiB = ${out.db_bytes_per_msg} B/message)`,
    );
    say(
      `    one transaction of ${BATCH}: median ${out.batch_p50_ms} ms, p99 ${out.batch_p99_ms} ms` +
        (insertWritten === undefined ? "" : `; ${out.insert_written_bytes_per_msg} bytes written to disk per message`) +
        ` (building the stanzas, not timed: ${out.generator_cpu_us} µs CPU each)`,
    );

    // One commit per message, in a separate store so the main archive is untouched.
    const single = storage.archive(HOST, "bench-autocommit");
    const t1 = performance.now();
    for (let i = 0; i < AUTOCOMMIT_SAMPLE; i++) single.append("solo", stanza("solo", contacts[0]!, i, true), { with: contacts[0]! });
    out.autocommit_insert_per_s = Math.round(AUTOCOMMIT_SAMPLE / ((performance.now() - t1) / 1000));
    single.delete("solo");
    say(`  ${out.autocommit_insert_per_s.toLocaleString("en")} inserts/s with one commit per message (${AUTOCOMMIT_SAMPLE} sampled)`);

    // The query a client makes to show a conversation: with=contact, <max>50</max><before/>.
    const limits = { defaultPageSize: 20, maxPageSize: 100 };
    const query = (contact: string) =>
      x(
        "query",
        { xmlns: "urn:xmpp:mam:2", queryid: "b" },
        x("x", { xmlns: "jabber:x:data", type: "submit" }, x("field", { var: "FORM_TYPE" }, x("value", null, "urn:xmpp:mam:2")), x("field", { var: "with" }, x("value", null, contact))),
        x("set", { xmlns: "http://jabber.org/protocol/rsm" }, x("max", null, "50"), x("before")),
      );
    const storeTimes: number[] = [];
    const storeCpu: number[] = [];
    const fullTimes: number[] = [];
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    // Untimed warm-up: the first queries pay for preparing statements and compiling JS, which a
    // running server has long done; without it they are the p99.
    for (let q = 0; q < Math.min(200, QUERIES); q++) {
      const user = users[rand(USERS)]!;
      const page = runQuery(archive, user, parseQuery(query(contacts[rand(CONTACTS)]!), limits) as QueryPlan);
      if (!(page instanceof StanzaError)) for (const item of page.items) resultMessage(item, `${user}@${HOST}/phone`, undefined, "b")!.toString();
    }
    for (let q = 0; q < QUERIES; q++) {
      const user = users[rand(USERS)]!;
      const contact = contacts[rand(CONTACTS)]!;
      const a = performance.now();
      const ca = process.cpuUsage();
      const plan = parseQuery(query(contact), limits) as QueryPlan;
      const page = runQuery(archive, user, plan);
      const b = performance.now();
      storeCpu.push(cpuSeconds(ca) * 1000);
      if (page instanceof StanzaError || page.items.length !== Math.min(50, N / USERS / CONTACTS)) throw new Error("unexpected query result");
      for (const item of page.items) resultMessage(item, `${user}@${HOST}/phone`, undefined, "b")!.toString();
      const c = performance.now();
      storeTimes.push(b - a);
      fullTimes.push(c - a);
    }
    storeTimes.sort((p, q) => p - q);
    fullTimes.sort((p, q) => p - q);
    storeCpu.sort((p, q) => p - q);
    const ms = (v: number) => Math.round(v * 1000) / 1000;
    out.query_p50_ms = ms(percentile(storeTimes, 50));
    out.query_p99_ms = ms(percentile(storeTimes, 99));
    out.query_cpu_p50_ms = ms(percentile(storeCpu, 50));
    out.query_cpu_p99_ms = ms(percentile(storeCpu, 99));
    out.query_render_p50_ms = ms(percentile(fullTimes, 50));
    out.query_render_p99_ms = ms(percentile(fullTimes, 99));
    say(`  last page of 50 'with' one contact (${QUERIES} queries): median ${out.query_p50_ms} ms, p99 ${out.query_p99_ms} ms`);
    say(`    CPU time per query: median ${out.query_cpu_p50_ms} ms, p99 ${out.query_cpu_p99_ms} ms`);
    say(`    including the 50 result stanzas built and serialised: median ${out.query_render_p50_ms} ms, p99 ${out.query_render_p99_ms} ms`);

    // `chatctl mam stats`: per-user totals.
    if (archive.summary !== undefined) {
      const t3 = performance.now();
      const summary = archive.summary();
      out.summary_ms = Math.round(performance.now() - t3);
      if (summary.reduce((n, u) => n + u.messages, 0) !== N) throw new Error("summary does not count every message");
      say(`  per-user summary for \`chatctl mam stats\` (${summary.length} users): ${out.summary_ms} ms`);
    }

    // Purge the older half.
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const t2 = performance.now();
    const c2 = process.cpuUsage();
    const written2 = writtenBytes();
    const purged = await purgeArchive(storage, HOST, {
      olderThan: new Date(start + SPAN_MS / 2),
      stores: ["archive"],
      batchSize: args["purge-batch"] === undefined ? undefined : Number(args["purge-batch"]),
      onBatch: () => {
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      },
    });
    const purgeSeconds = (performance.now() - t2) / 1000;
    out.purged = purged.archive.messages;
    out.purged_mib = mib(purged.archive.bytes);
    out.purge_seconds = Math.round(purgeSeconds * 10) / 10;
    out.purge_per_s = Math.round(purged.archive.messages / purgeSeconds);
    out.purge_cpu_seconds = Math.round(cpuSeconds(c2) * 10) / 10;
    const purgeWritten = delta(writtenBytes(), written2);
    if (purgeWritten !== undefined) out.purge_written_mib = mib(purgeWritten);
    out.rss_before_mib = mib(rssBefore);
    out.rss_peak_mib = mib(rssPeak);
    out.db_used_after_mib = mib(storageSize(storage) ?? 0);
    say(
      `  purged ${purged.archive.messages.toLocaleString("en")} messages (${out.purged_mib} MiB of stanzas) in ${out.purge_seconds} s ` +
        `(${out.purge_per_s.toLocaleString("en")}/s, ${out.purge_cpu_seconds} CPU-s` +
        (purgeWritten === undefined ? "" : `, ${out.purge_written_mib} MiB written`) +
        `); RSS ${out.rss_before_mib} MiB before, peak ${out.rss_peak_mib} MiB during`,
    );
    out.load_average = os.loadavg().map((l) => l.toFixed(1)).join(" ");
    out.cpus = os.cpus().length;
    say(`  (load average ${out.load_average} on ${out.cpus} CPUs: wall-clock figures include waiting for the CPU)`);
    if (args.json) console.log(JSON.stringify(out));
  } finally {
    storage.close();
    if (args.keep) console.error(`kept ${path}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
