// proxy.address: the address the file-transfer proxy (XEP-0065) tells clients to connect to is
// one they can reach — it resolves, it is not the wildcard, not loopback unless the domain is this
// machine's own, not private for a public domain without a word — and, when the server runs, a
// SOCKS5 greeting sent there is answered. It reports the address and where it came from, which is
// what an administrator needs when transfers fail across subnets or NAT.
import { lookup } from "node:dns/promises";
import net, { isIP } from "node:net";
import { addressScope, looksPublic } from "../../dns/ip.js";
import { advertisedHost, describeSource, isLoopbackDomain } from "../../services/socks5/advertise.js";
import { listenerTargets } from "../listeners.js";
import { configOf, type SystemContext } from "../system/context.js";
import { fail, ok, warn, type Check, type CheckResult } from "../types.js";

const SET_HOST = "set proxy.advertisedHost to an address of this server that clients can connect to";

export const proxyAddressCheck: Check<SystemContext> = {
  id: "proxy.address",
  title: "File-transfer proxy advertises a reachable address",
  async run(ctx) {
    const config = configOf(ctx);
    if (!config.services.proxy) return undefined;
    const adv = advertisedHost(config);
    const port = config.proxy.port;
    const shown = `${net.isIPv6(adv.host) ? `[${adv.host}]` : adv.host}:${port}`;
    const what = `proxy.${config.domain} advertises ${shown} (${describeSource(adv)})`;

    let addresses: string[];
    if (isIP(adv.host) !== 0) addresses = [adv.host];
    else {
      try {
        addresses = (await withTimeout(lookup(adv.host, { all: true }), ctx.probes.timeoutMs)).map((a) => a.address);
      } catch (err) {
        return fail(`${what}, which does not resolve on this host (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
          hint: `publish an A record for ${adv.host}, or ${SET_HOST}`,
        });
      }
    }
    const problem = addressProblem(config.domain, addresses, what);
    if (problem?.status === "fail") return problem;

    if (port === 0) return problem ?? ok(`${what}; not probed: proxy.port is 0 (a random port at every start)`);
    const address = addresses[0]!;
    const answer = await socksGreeting(address, port, ctx.probes.timeoutMs);
    if (answer === "socks5") return problem ?? ok(`${what}: answers SOCKS5`);
    if (!(await serverRunning(ctx))) return problem ?? ok(`${what}; not probed: the server is not running`);
    return fail(`${what}, but ${address} port ${port} ${answer}`, {
      hint: "the server is running: check that proxy.addresses includes that address (or a wildcard), that the firewall lets TCP port " +
        `${port} in, or ${SET_HOST}`,
    });
  },
};

/** A fail or warn about the kind of address; undefined when clients can plausibly reach it. */
function addressProblem(domain: string, addresses: readonly string[], what: string): CheckResult | undefined {
  if (addresses.some((a) => a === "0.0.0.0" || a === "::")) {
    return fail(`${what}: the wildcard address, which no client can connect to`, { hint: SET_HOST });
  }
  const scopes = addresses.map((a) => addressScope(a));
  if (scopes.every((s) => s === "loopback")) {
    if (isLoopbackDomain(domain)) return undefined;
    const detail = `${what}: loopback, so only clients on this machine can transfer files through it`;
    return looksPublic(domain) ? fail(detail, { hint: SET_HOST }) : warn(detail, { hint: SET_HOST });
  }
  if (looksPublic(domain) && scopes.every((s) => s !== "global")) {
    return warn(`${what}: a private address, reachable on this network only (users behind other NATs cannot use the proxy)`, {
      hint: "set proxy.advertisedHost to the public address and forward the port to this server, if remote users should use it",
    });
  }
  return undefined;
}

/** Sends a SOCKS5 no-auth greeting (RFC 1928 §3); "socks5" when answered with X'05 00'. */
function socksGreeting(host: string, port: number, timeoutMs: number): Promise<"socks5" | string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let got = Buffer.alloc(0);
    const done = (result: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(`did not answer within ${timeoutMs} ms`), timeoutMs);
    socket.on("connect", () => socket.write(Buffer.from([0x05, 0x01, 0x00])));
    socket.on("data", (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= 2) done(got[0] === 0x05 && got[1] === 0x00 ? "socks5" : `answered, but not as a SOCKS5 proxy (${got.subarray(0, 2).toString("hex")})`);
    });
    socket.on("error", (err: NodeJS.ErrnoException) => done(err.code === "ECONNREFUSED" ? "refuses connections" : `cannot be reached (${err.code ?? err.message})`));
    socket.on("end", () => done("closed the connection without answering"));
  });
}

/** Whether a client listener of this configuration answers (shared with listeners.reachable). */
async function serverRunning(ctx: SystemContext): Promise<boolean> {
  for (const l of listenerTargets(configOf(ctx))) {
    if (l.notProbed !== undefined) continue;
    const outcome = await ctx.probes.probe(l.target, l.target.streamTo);
    // An XMPP stream that answered, even with a TLS problem, is the server running.
    if (outcome.ok || ["tls", "stream-error", "no-starttls"].includes(outcome.error.failure)) return true;
  }
  return false;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
