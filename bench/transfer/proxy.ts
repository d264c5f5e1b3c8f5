// Throughput of one large transfer through chatctl's SOCKS5 bytestream proxy (XEP-0065), against
// the physical reference of this machine (dd through one loopback TCP connection, measured in the
// same run), plus the server's resident memory sampled during the transfer: relaying must run
// near the reference and keep memory flat (backpressure, no buffering of the file).
//
//   npm run build && node dist/bench/transfer/proxy.js [--bytes 1073741824] [--json]
//
// A real `chatctl serve` child process (its own config, data directory, loopback ports), one
// @xmpp/client session that finds the streamhost and sends the activation IQ, and two raw SOCKS5
// clients: the target and the requester, which streams `dd if=/dev/zero` into its socket.
import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net, { type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { client as xmppClient, xml } from "@xmpp/client";
import { measureLoopbackCopy } from "../lib/loopback-copy.js";
import { freePort, stopPid, usage } from "../lib/proc.js";
import { DOMAIN, sampleRss, startBenchServer } from "./chatctl-server.js";

const BYTESTREAMS = "http://jabber.org/protocol/bytestreams";

interface Options {
  bytes: number;
  json: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { bytes: 1024 ** 3, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") opts.json = true;
    else if (a === "--bytes") opts.bytes = Number(argv[++i]);
    else throw new Error(`unknown argument ${a} (use --bytes N, --json)`);
  }
  if (!Number.isSafeInteger(opts.bytes) || opts.bytes <= 0) throw new Error("--bytes must be a positive integer");
  return opts;
}

/** Starts `chatctl serve` on loopback ports with one account; resolves when it logged "ready". */
function readExactly(socket: Socket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (buf.length >= n) {
        socket.off("data", onData);
        socket.pause();
        resolve(buf);
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.resume();
  });
}

/** RFC 1928 greeting + CONNECT to the stream address; resolves once the proxy said X'00'. */
async function socksConnect(port: number, hash: string): Promise<Socket> {
  const socket = net.connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.write(Buffer.from([0x05, 0x01, 0x00]));
  await readExactly(socket, 2);
  const port0 = Buffer.alloc(2);
  socket.write(Buffer.concat([Buffer.from([0x05, 0x01, 0x00, 0x03, hash.length]), Buffer.from(hash, "latin1"), port0]));
  const reply = await readExactly(socket, 4 + 1 + hash.length + 2);
  if (reply[1] !== 0x00) throw new Error(`proxy refused: REP ${reply[1]}`);
  return socket;
}

interface ProxyRun {
  seconds: number;
  bytesPerSecond: number;
  rssBeforeKb: number;
  rssPeakKb: number;
  rssAfterKb: number;
  serverCpuMs: number;
}

async function transferThroughProxy(bytes: number): Promise<ProxyRun> {
  const dir = mkdtempSync(join(tmpdir(), "chatctl-bench-proxy-"));
  const proxyPort = await freePort();
  const proxyYaml = ["services:", "  conference: false", "  pubsub: false", "  upload: false", "proxy:", '  addresses: ["127.0.0.1"]', `  port: ${proxyPort}`];
  const { child, c2sPort } = await startBenchServer(dir, proxyYaml, "romeo", "benchpw");
  const pid = child.pid!;
  // The server's certificate is the self-signed one it generated; this is our own loopback server.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  const xmpp = xmppClient({ service: `xmpp://127.0.0.1:${c2sPort}`, domain: DOMAIN, resource: "bench", username: "romeo", password: "benchpw" });
  xmpp.on("error", () => {});
  try {
    const me = (await xmpp.start()).toString();
    const sh = await xmpp.iqCaller.request(xml("iq", { type: "get", to: `proxy.${DOMAIN}` }, xml("query", { xmlns: BYTESTREAMS })));
    const port = Number(sh.getChild("query", BYTESTREAMS)?.getChild("streamhost")?.attrs.port);
    const sid = randomUUID();
    const target = `juliet@${DOMAIN}/bench`;
    const hash = createHash("sha1").update(sid + me + target).digest("hex");
    const receiver = await socksConnect(port, hash);
    const sender = await socksConnect(port, hash);
    await xmpp.iqCaller.request(xml("iq", { type: "set", to: `proxy.${DOMAIN}` }, xml("query", { xmlns: BYTESTREAMS, sid }, xml("activate", {}, target))));

    const before = usage([pid]);
    const sampler = sampleRss(pid);
    const started = process.hrtime.bigint();
    const received = new Promise<number>((resolve, reject) => {
      let n = 0;
      receiver.on("data", (c: Buffer) => (n += c.length));
      receiver.once("end", () => resolve(n));
      receiver.once("error", reject);
      receiver.resume();
    });
    const dd = spawn("dd", ["if=/dev/zero", "bs=1M", `count=${bytes}`, "iflag=count_bytes", "status=none"], { stdio: ["ignore", "pipe", "inherit"] });
    dd.stdout.pipe(sender);
    const got = await received;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peak = sampler.stop().peakKb;
    const after = usage([pid]);
    receiver.destroy();
    sender.destroy();
    if (got !== bytes) throw new Error(`the receiver got ${got} of ${bytes} bytes`);
    return { seconds, bytesPerSecond: bytes / seconds, rssBeforeKb: before.rssKb, rssPeakKb: peak, rssAfterKb: after.rssKb, serverCpuMs: after.cpuMs - before.cpuMs };
  } finally {
    await xmpp.stop().catch(() => {});
    await stopPid(pid);
    rmSync(dir, { recursive: true, force: true });
  }
}

const mib = (n: number) => n / 1024 / 1024;

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const reference = await measureLoopbackCopy(opts.bytes);
  const proxy = await transferThroughProxy(opts.bytes);
  const result = {
    bytes: opts.bytes,
    reference: { seconds: reference.seconds, mibPerSecond: mib(reference.bytesPerSecond) },
    proxy: { seconds: proxy.seconds, mibPerSecond: mib(proxy.bytesPerSecond), serverCpuMs: Math.round(proxy.serverCpuMs) },
    ratio: proxy.bytesPerSecond / reference.bytesPerSecond,
    serverRssMiB: { before: proxy.rssBeforeKb / 1024, peak: proxy.rssPeakKb / 1024, after: proxy.rssAfterKb / 1024, growth: (proxy.rssPeakKb - proxy.rssBeforeKb) / 1024 },
  };
  if (opts.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    return;
  }
  const f = (n: number, d = 1) => n.toFixed(d);
  process.stdout.write(
    [
      `SOCKS5 proxy transfer of ${f(mib(opts.bytes), 0)} MiB (${opts.bytes} bytes), chatctl serve on loopback`,
      `  reference (dd → one loopback TCP connection): ${f(result.reference.mibPerSecond)} MiB/s (${f(reference.seconds, 2)} s)`,
      `  through the proxy (dd → SOCKS5 → proxy → SOCKS5): ${f(result.proxy.mibPerSecond)} MiB/s (${f(proxy.seconds, 2)} s), server CPU ${result.proxy.serverCpuMs} ms`,
      `  ratio proxy ÷ reference: ${f(result.ratio, 2)}`,
      `  server RSS: ${f(result.serverRssMiB.before)} MiB before, ${f(result.serverRssMiB.peak)} MiB peak (sampled every 50 ms), ${f(result.serverRssMiB.after)} MiB after; growth ${f(result.serverRssMiB.growth)} MiB`,
      "",
    ].join("\n"),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
