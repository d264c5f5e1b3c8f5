// HTTP upload benchmark (XEP-0363; never part of `npm test`). bench/README.md ("The upload
// benchmark") explains the figures.
// 1. starts `chatctl serve` as a child process on loopback ports with a temp data directory and
//    one account, and asks upload.localhost for a slot over XMPP (@xmpp/client);
// 2. PUTs a file of --bytes (default 1 GiB) over HTTPS, streamed from a repeated 1 MiB random
//    block with backpressure, and times it until the 201;
// 3. GETs it back and times the download (bytes counted, SHA-256 compared with what was sent);
// 4. measures the loopback physical reference for the same byte count (bench/lib/loopback-copy.ts:
//    dd into one local TCP connection) and reports both transfers as a share of it;
// 5. samples the server's RSS every 50 ms, before and during each transfer: streaming keeps it
//    flat whatever the file size.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { client as xmppClient, xml } from "@xmpp/client";
import { measureLoopbackCopy } from "../lib/loopback-copy.js";
import { freePort, usage } from "../lib/proc.js";
import { DOMAIN, sampleRss, startBenchServer } from "./chatctl-server.js";

const BLOCK = 1024 * 1024;
const UPLOAD_NS = "urn:xmpp:http:upload:0";

const { values: args } = parseArgs({
  options: {
    bytes: { type: "string", default: String(1024 * 1024 * 1024) },
    dir: { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (args.help) {
  console.log(`usage: node dist/bench/transfer/upload.js [options]

  --bytes N   size of the file uploaded and downloaded (default 1073741824 = 1 GiB)
  --dir DIR   where the server's temporary data directory goes (default the OS temp directory;
              the upload is written there, so its disk is part of the upload figure)
  --json      print one JSON object of the figures instead of text

example: node dist/bench/transfer/upload.js --bytes 268435456`);
  process.exit(0);
}

const bytes = Number(args.bytes);
if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new Error(`--bytes must be a positive integer, got ${args.bytes}`);

const workDir = mkdtempSync(join(args.dir ?? tmpdir(), "chatctl-bench-upload-"));
const log = (s: string) => {
  if (!args.json) console.error(s);
};

async function requestSlot(c2sPort: number): Promise<{ put: string; get: string; auth: string }> {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"; // the server's generated self-signed certificate
  const xmpp = xmppClient({
    service: `xmpp://127.0.0.1:${c2sPort}`,
    domain: DOMAIN,
    timeout: 30_000,
    credentials: async (authenticate: (c: object, m: string) => Promise<void>) => authenticate({ username: "bench", password: "bench-password" }, "PLAIN"),
  } as never);
  xmpp.on("error", () => {});
  xmpp.reconnect.stop();
  await xmpp.start();
  try {
    const reply = await xmpp.iqCaller.request(
      xml("iq", { type: "get", to: `upload.${DOMAIN}` }, xml("request", { xmlns: UPLOAD_NS, filename: "bench.bin", size: String(bytes), "content-type": "application/octet-stream" })),
      30_000,
    );
    const slot = reply.getChild("slot", UPLOAD_NS)!;
    const put = slot.getChild("put")!;
    const header = put.getChildren("header").find((h) => h.attrs.name === "Authorization")!;
    return { put: put.attrs.url as string, get: slot.getChild("get")!.attrs.url as string, auth: header.text() };
  } finally {
    await xmpp.stop().catch(() => {});
  }
}

function target(url: string): { host: string; port: number; path: string; servername: string; headers: Record<string, string> } {
  const u = new URL(url);
  return { host: "127.0.0.1", port: Number(u.port), path: u.pathname, servername: u.hostname, headers: { Host: u.host } };
}

/** PUTs `bytes` bytes of the repeated block; resolves with the seconds until the 201 and the body's SHA-256. */
function upload(url: string, auth: string, block: Buffer): Promise<{ seconds: number; sha256: string }> {
  const t = target(url);
  const hash = createHash("sha256");
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(
      {
        method: "PUT",
        host: t.host,
        port: t.port,
        path: t.path,
        servername: t.servername,
        rejectUnauthorized: false,
        agent: false,
        headers: { ...t.headers, Authorization: auth, "Content-Type": "application/octet-stream", "Content-Length": bytes },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode !== 201) reject(new Error(`PUT answered ${res.statusCode}`));
          else resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, sha256: hash.digest("hex") });
        });
      },
    );
    req.on("error", reject);
    let sent = 0;
    const write = () => {
      while (sent < bytes) {
        const chunk = bytes - sent >= block.length ? block : block.subarray(0, bytes - sent);
        sent += chunk.length;
        hash.update(chunk);
        if (!req.write(chunk)) {
          req.once("drain", write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

/** GETs the file, hashing what arrives; resolves with the seconds until the last byte. */
function download(url: string): Promise<{ seconds: number; bytes: number; sha256: string }> {
  const t = target(url);
  const hash = createHash("sha256");
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request({ method: "GET", host: t.host, port: t.port, path: t.path, servername: t.servername, rejectUnauthorized: false, agent: false, headers: t.headers }, (res) => {
      let received = 0;
      res.on("data", (c: Buffer) => {
        received += c.length;
        hash.update(c);
      });
      res.on("end", () => {
        if (res.statusCode !== 200) reject(new Error(`GET answered ${res.statusCode}`));
        else resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes: received, sha256: hash.digest("hex") });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const mib = (n: number) => n / (1024 * 1024);

async function main(): Promise<void> {
  const block = randomBytes(BLOCK);
  log(`loopback reference: dd → TCP → sink, ${mib(bytes).toFixed(0)} MiB …`);
  const loopback = await measureLoopbackCopy(bytes);
  log("starting chatctl serve …");
  const uploadPort = await freePort();
  const uploadYaml = ["services:", "  proxy: false", "upload:", '  addresses: ["127.0.0.1"]', `  port: ${uploadPort}`, `  maxFileBytes: ${bytes}`, "  quotaBytes: 0"];
  const { child, c2sPort } = await startBenchServer(workDir, uploadYaml, "bench", "bench-password");
  try {
    const pid = child.pid!;
    const slot = await requestSlot(c2sPort);
    const idleKb = usage([pid]).rssKb;

    log(`PUT ${mib(bytes).toFixed(0)} MiB …`);
    let sampler = sampleRss(pid);
    const put = await upload(slot.put, slot.auth, block);
    const putRss = sampler.stop();

    log(`GET ${mib(bytes).toFixed(0)} MiB …`);
    sampler = sampleRss(pid);
    const get = await download(slot.get);
    const getRss = sampler.stop();
    if (get.bytes !== bytes || get.sha256 !== put.sha256) throw new Error(`download differs from upload: ${get.bytes} bytes, sha256 ${get.sha256} vs ${put.sha256}`);

    const figures = {
      bytes,
      loopback: { seconds: loopback.seconds, mibPerSecond: mib(loopback.bytesPerSecond) },
      upload: { seconds: put.seconds, mibPerSecond: mib(bytes / put.seconds), ofLoopback: loopback.seconds / put.seconds },
      download: { seconds: get.seconds, mibPerSecond: mib(bytes / get.seconds), ofLoopback: loopback.seconds / get.seconds },
      serverRssKb: { idle: idleKb, peakDuringUpload: putRss.peakKb, peakDuringDownload: getRss.peakKb, samples: putRss.samples + getRss.samples },
      identical: true,
    };
    if (args.json) {
      console.log(JSON.stringify(figures, null, 2));
    } else {
      const pct = (r: number) => `${(100 * r).toFixed(0)} %`;
      console.log(`file:      ${mib(bytes).toFixed(0)} MiB, downloaded identical (SHA-256)`);
      console.log(`loopback:  ${figures.loopback.mibPerSecond.toFixed(0)} MiB/s (dd → one TCP connection → sink; the physical reference)`);
      console.log(`upload:    ${figures.upload.mibPerSecond.toFixed(0)} MiB/s over HTTPS to disk, ${pct(figures.upload.ofLoopback)} of loopback (${put.seconds.toFixed(2)} s)`);
      console.log(`download:  ${figures.download.mibPerSecond.toFixed(0)} MiB/s over HTTPS from disk, ${pct(figures.download.ofLoopback)} of loopback (${get.seconds.toFixed(2)} s)`);
      console.log(`server RSS: ${(idleKb / 1024).toFixed(0)} MiB idle, peak ${(putRss.peakKb / 1024).toFixed(0)} MiB during upload, ${(getRss.peakKb / 1024).toFixed(0)} MiB during download`);
    }
  } finally {
    child.kill("SIGTERM");
    await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
