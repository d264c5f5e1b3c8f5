// Connects to an XMPP server the way a client does and reads the certificate chain it presents:
// STARTTLS (RFC 6120 5.4: stream header, <starttls/>, <proceed/>, then the TLS handshake) or
// direct TLS (XEP-0368). Certificates are not verified here (rejectUnauthorized: false): the
// doctor wants to see what is served, and judges it itself.
import { X509Certificate } from "node:crypto";
import net from "node:net";
import tls, { type DetailedPeerCertificate } from "node:tls";
import { formatHostPort, type HostPort } from "../dns/address.js";
import { NS } from "../xml/ns.js";

export type TlsMode = "starttls" | "direct-tls";

export interface ProbeTarget extends HostPort {
  /** "auto" tries the likelier mode for the port first, then the other. */
  mode: TlsMode | "auto";
  /** The domain named in the stream header (`to`), for STARTTLS. */
  streamTo: string;
}

export interface TlsProbe {
  mode: TlsMode;
  servername: string;
  /** "TLSv1.3" … */
  protocol: string;
  /** IANA name, e.g. "TLS_AES_256_GCM_SHA384". */
  cipher: string;
  /** As presented, leaf first (node may add the trusted root it found in its own store). */
  chain: X509Certificate[];
}

export type ProbeFailure =
  | "refused"
  | "timeout"
  /** Not an XMPP server speaking the expected protocol (TLS bytes on a STARTTLS port, or the reverse). */
  | "protocol"
  | "no-starttls"
  | "stream-error"
  | "tls"
  | "network";

export class ProbeError extends Error {
  constructor(
    readonly failure: ProbeFailure,
    message: string,
  ) {
    super(message);
    this.name = "ProbeError";
  }
}

/** Greeting and features are small; anything bigger is not the server we expect. */
const MAX_PRE_TLS_BYTES = 65_536;
/** Ports on which direct TLS is the convention (XEP-0368 c2s and s2s). */
const DIRECT_TLS_PORTS = new Set([5223, 5270]);

export function describeTarget(target: ProbeTarget, mode: TlsMode | "auto" = target.mode): string {
  const how = mode === "starttls" ? "STARTTLS" : mode === "direct-tls" ? "direct TLS" : "TLS";
  return `${formatHostPort(target)} (${how})`;
}

/** Probes once; with mode "auto", falls back to the other mode when the first one clearly did not fit. */
export async function probeTls(target: ProbeTarget, servername: string, timeoutMs: number): Promise<TlsProbe> {
  if (target.mode !== "auto") return await probeWith(target.mode, target, servername, timeoutMs);
  const order: TlsMode[] = DIRECT_TLS_PORTS.has(target.port) ? ["direct-tls", "starttls"] : ["starttls", "direct-tls"];
  try {
    return await probeWith(order[0]!, target, servername, timeoutMs);
  } catch (err) {
    if (!(err instanceof ProbeError) || !["protocol", "tls", "no-starttls"].includes(err.failure)) throw err;
    return await probeWith(order[1]!, target, servername, timeoutMs);
  }
}

function probeWith(mode: TlsMode, target: ProbeTarget, servername: string, timeoutMs: number): Promise<TlsProbe> {
  return new Promise((resolve, reject) => {
    // The one socket to close at the end. After STARTTLS the TLS socket owns the TCP handle:
    // destroying the plain socket under it as well crashes node (SIGSEGV), so it is replaced.
    let socket: net.Socket | undefined;
    let settled = false;
    const finish = (outcome: TlsProbe | ProbeError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.destroy();
      if (outcome instanceof ProbeError) reject(outcome);
      else resolve(outcome);
    };
    const where = describeTarget(target, mode);
    const timer = setTimeout(() => finish(new ProbeError("timeout", `${where} did not complete the TLS handshake within ${timeoutMs} ms`)), timeoutMs);
    const onError = (err: NodeJS.ErrnoException) => finish(networkError(err, where));

    const handshake = (options: tls.ConnectionOptions) => {
      const secure = tls.connect({ ...options, servername, rejectUnauthorized: false, ...(mode === "direct-tls" ? { ALPNProtocols: ["xmpp-client"] } : {}) });
      socket = secure;
      secure.once("secureConnect", () => {
        finish({
          mode,
          servername,
          protocol: secure.getProtocol() ?? "unknown",
          cipher: secure.getCipher().standardName ?? secure.getCipher().name,
          chain: presentedChain(secure.getPeerCertificate(true)),
        });
      });
      secure.once("error", (err: NodeJS.ErrnoException) => {
        finish(err.code === "ECONNREFUSED" ? networkError(err, where) : new ProbeError("tls", `TLS handshake with ${where} failed: ${err.message}`));
      });
      secure.once("close", () => finish(new ProbeError("tls", `${where} closed the connection during the TLS handshake`)));
    };

    if (mode === "direct-tls") {
      handshake({ host: target.host, port: target.port });
      return;
    }

    const plain = net.connect({ host: target.host, port: target.port });
    socket = plain;
    plain.once("error", onError);
    let received = Buffer.alloc(0);
    let step: "features" | "proceed" = "features";
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received[0] === 0x15 || received[0] === 0x16) {
        return finish(new ProbeError("protocol", `${where} answered with TLS, not XMPP: it expects direct TLS`));
      }
      if (received.length > MAX_PRE_TLS_BYTES) return finish(new ProbeError("protocol", `${where} sent more than ${MAX_PRE_TLS_BYTES} bytes without stream features`));
      const text = received.toString("utf8");
      const streamError = new RegExp(`<(?:stream:)?error[\\s>][\\s\\S]*?<([a-z-]+)[^>]*xmlns=['"]${NS.STREAM_ERRORS}['"]`).exec(text);
      if (streamError) return finish(new ProbeError("stream-error", `${where} closed the stream with the error <${streamError[1]}/>`));
      if (step === "features") {
        if (!/<\/(?:stream:)?features>|<(?:stream:)?features[^>]*\/>/.test(text)) return;
        if (!new RegExp(`<starttls[^>]*xmlns=['"]${NS.TLS}['"]`).test(text)) {
          return finish(new ProbeError("no-starttls", `${where} does not offer STARTTLS`));
        }
        step = "proceed";
        received = Buffer.alloc(0);
        plain.write(`<starttls xmlns='${NS.TLS}'/>`);
      } else if (/<proceed[^>]*\/?>/.test(text)) {
        plain.off("data", onData);
        plain.off("error", onError);
        plain.off("close", onClose);
        handshake({ socket: plain });
      } else if (/<failure[\s/>]/.test(text)) {
        finish(new ProbeError("no-starttls", `${where} refused STARTTLS (<failure/>)`));
      }
    };
    plain.on("data", onData);
    const onClose = () => finish(new ProbeError("protocol", `${where} closed the connection before TLS started`));
    plain.once("close", onClose);
    plain.once("connect", () => {
      plain.write(
        `<?xml version='1.0'?><stream:stream to='${xmlAttr(target.streamTo)}' version='1.0' xmlns='${NS.CLIENT}' xmlns:stream='${NS.STREAMS}'>`,
      );
    });
  });
}

function networkError(err: NodeJS.ErrnoException, where: string): ProbeError {
  if (err.code === "ECONNREFUSED") return new ProbeError("refused", `nothing listens on ${where.replace(/ \(.*\)$/, "")} (connection refused)`);
  if (err.code === "ETIMEDOUT") return new ProbeError("timeout", `${where} did not answer (timed out)`);
  return new ProbeError("network", `cannot connect to ${where}: ${err.message}`);
}

/** The chain node reports, leaf first, each certificate once. */
function presentedChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  for (let c: DetailedPeerCertificate | undefined = peer; c?.raw !== undefined && chain.length < 16; c = c.issuerCertificate) {
    if (seen.has(c.fingerprint256)) break;
    seen.add(c.fingerprint256);
    chain.push(new X509Certificate(c.raw));
  }
  return chain;
}

function xmlAttr(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/'/g, "&apos;").replace(/</g, "&lt;");
}

export type ProbeOutcome = { ok: true; tls: TlsProbe } | { ok: false; error: ProbeError };

/** One probe per (target, SNI) per run, shared by every check that needs it. */
export class ProbeCache {
  readonly #results = new Map<string, Promise<ProbeOutcome>>();

  constructor(readonly timeoutMs: number) {}

  probe(target: ProbeTarget, servername: string): Promise<ProbeOutcome> {
    const key = `${target.mode} ${formatHostPort(target)} ${servername}`;
    let result = this.#results.get(key);
    if (result === undefined) {
      result = probeTls(target, servername, this.timeoutMs).then(
        (probe): ProbeOutcome => ({ ok: true, tls: probe }),
        (err: unknown): ProbeOutcome => {
          if (err instanceof ProbeError) return { ok: false, error: err };
          throw err;
        },
      );
      this.#results.set(key, result);
    }
    return result;
  }
}
