// A real DNS server for the doctor tests: Debian's dnsmasq on a free loopback port, answering
// only from the records a test gives it (no upstream, no /etc/hosts, no config file). Tests skip
// with a clear reason when the binary is not installed (CI installs dnsmasq-base).
import { spawn, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HostPort } from "../../../src/dns/address.js";
import { Resolver } from "../../../src/dns/resolver.js";

export const DNSMASQ = "/usr/sbin/dnsmasq";

/** A skip reason for node:test, or false when dnsmasq is there. */
export const noDnsmasq: string | false = existsSync(DNSMASQ) ? false : `${DNSMASQ} is not installed (apt-get install dnsmasq-base); the tests against a real DNS server cannot run`;

export interface Dnsmasq {
  address: HostPort;
  stop(): Promise<void>;
}

/** A port free for both UDP and TCP on 127.0.0.1 right now (dnsmasq needs both). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = dgram.createSocket("udp4");
    const port = await new Promise<number>((resolve, reject) => {
      udp.once("error", reject);
      udp.bind(0, "127.0.0.1", () => resolve(udp.address().port));
    });
    const tcp = net.createServer();
    const tcpFree = await new Promise<boolean>((resolve) => {
      tcp.once("error", () => resolve(false));
      tcp.listen(port, "127.0.0.1", () => resolve(true));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (tcpFree) await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (tcpFree) return port;
  }
  throw new Error("no free UDP+TCP port found on 127.0.0.1");
}

/**
 * Starts dnsmasq with `options` (--srv-host=…, --host-record=…, --cname=…) authoritative for
 * `zones` (names under them that have no record get NXDOMAIN, not REFUSED).
 */
export async function startDnsmasq(zones: readonly string[], options: readonly string[]): Promise<Dnsmasq> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "chatctl-dnsmasq-"));
    const child = spawn(
      DNSMASQ,
      [
        "--no-daemon",
        `--port=${port}`,
        "--listen-address=127.0.0.1",
        "--bind-interfaces",
        "--no-resolv",
        "--no-hosts",
        "--conf-file=/dev/null",
        `--pid-file=${join(dir, "dnsmasq.pid")}`,
        ...zones.map((z) => `--local=/${z}/`),
        ...options,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const address = { host: "127.0.0.1", port };
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, "SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    };
    if (await ready(address, child)) return { address, stop };
    await stop();
    // Another process took the port between the probe and dnsmasq's bind: try another one.
    if (!/in use/i.test(stderr)) throw new Error(`dnsmasq did not start: ${stderr}`);
  }
  throw new Error("dnsmasq could not bind a free port in 5 attempts");
}

/** Asks until dnsmasq answers (bounded), or it has exited. */
async function ready(address: HostPort, child: ChildProcess): Promise<boolean> {
  const resolver = new Resolver({ servers: [address], timeoutMs: 200, attempts: 1 });
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) return false;
    try {
      await resolver.query("ready.invalid", "A");
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return false;
}
