// A small stub resolver of our own on dns-packet: it asks the configured recursive servers over
// UDP, asks again over TCP when an answer comes back truncated (RFC 7766), and retries with a
// timeout per attempt the way the C library does (resolv.conf(5) `timeout`, `attempts`). Unlike
// node:dns it tells "the server answered: no such record" apart from "no server answered", and it
// can be pointed at any server and port — which is what `chatctl doctor` and s2s both need.
import { randomInt } from "node:crypto";
import dgram from "node:dgram";
import net, { isIP } from "node:net";
import dnsPacket, { type Answer, type DecodedPacket } from "dns-packet";
import { formatHostPort, type HostPort } from "./address.js";
import { systemResolvConf } from "./resolv-conf.js";

export type QueryType = "A" | "AAAA" | "CNAME" | "SRV" | "SOA" | "NS" | "TXT";

export interface Question {
  name: string;
  type: QueryType;
}

export type Transport = "udp" | "tcp";

export interface DnsResponse {
  question: Question;
  /** "NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED" … (RFC 1035 4.1.1). */
  rcode: string;
  answers: Answer[];
  authorities: Answer[];
  /** The server that answered, and over what. */
  server: HostPort;
  transport: Transport;
}

/** Why a query produced no usable answer. */
export type ResolverErrorKind =
  /** No server replied at all (timeouts, connection refused). */
  | "no-answer"
  /** A server replied with an error code other than NXDOMAIN (SERVFAIL, REFUSED …). */
  | "error-rcode";

export class ResolverError extends Error {
  constructor(
    readonly kind: ResolverErrorKind,
    message: string,
    readonly question: Question,
    readonly servers: readonly HostPort[],
    /** For "no-answer": what happened to the last attempt; for "error-rcode": the code. */
    readonly reason: string,
  ) {
    super(message);
    this.name = "ResolverError";
  }
}

export interface ResolverOptions {
  /** Recursive servers, tried in order. */
  servers: readonly HostPort[];
  /** How long to wait for each reply (default 2000 ms). */
  timeoutMs?: number;
  /** Rounds over the server list before giving up (default 2). */
  attempts?: number;
}

export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  /** Without the trailing dot; "." is the "service decidedly not available" target (RFC 2782). */
  target: string;
}

export interface SrvLookup {
  name: string;
  /** NOERROR or NXDOMAIN; other codes throw ResolverError. */
  rcode: string;
  records: SrvRecord[];
}

export interface AddressLookup {
  name: string;
  /** The aliases followed from `name`, in order (empty when `name` owns its addresses). */
  cnames: string[];
  /** The name that owns the addresses: the last CNAME target, or `name` itself. */
  canonical: string;
  v4: string[];
  v6: string[];
  /** True when neither A nor AAAA exists because the name itself does not exist. */
  nxdomain: boolean;
}

const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_ATTEMPTS = 2;
/** rcodes after which another server may do better (RFC 1035 7.2: try the next server). */
const TRY_NEXT_SERVER = new Set(["SERVFAIL", "REFUSED", "NOTIMP", "FORMERR"]);

export class Resolver {
  readonly servers: readonly HostPort[];
  readonly timeoutMs: number;
  readonly attempts: number;

  constructor(options: ResolverOptions) {
    if (options.servers.length === 0) throw new RangeError("a resolver needs at least one server");
    this.servers = options.servers;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  }

  /** The servers of /etc/resolv.conf with its timeout and attempts, unless overridden. */
  static system(overrides: Partial<ResolverOptions> = {}): Resolver {
    const conf = systemResolvConf();
    return new Resolver({
      servers: overrides.servers ?? conf.servers,
      timeoutMs: overrides.timeoutMs ?? conf.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      attempts: overrides.attempts ?? conf.attempts ?? DEFAULT_ATTEMPTS,
    });
  }

  /** "127.0.0.1:5353" or "10.0.0.1:53, 10.0.0.2:53". */
  describe(): string {
    return this.servers.map(formatHostPort).join(", ");
  }

  /**
   * One question, answered by the first server that answers it well. A server that answers with
   * SERVFAIL/REFUSED is passed over for the next; when every server did so, that answer is
   * returned. Throws ResolverError("no-answer") when no server replied at all.
   */
  async query(name: string, type: QueryType): Promise<DnsResponse> {
    const question: Question = { name: name.replace(/\.$/, "") || ".", type };
    const answered = new Set<HostPort>();
    let fallback: DnsResponse | undefined;
    let reason = "no reply";
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      for (const server of this.servers) {
        if (answered.has(server)) continue;
        const outcome = await exchange(server, question, this.timeoutMs);
        if (typeof outcome === "string") {
          reason = outcome;
          continue;
        }
        answered.add(server);
        if (!TRY_NEXT_SERVER.has(outcome.rcode)) return outcome;
        fallback ??= outcome;
      }
      if (answered.size === this.servers.length) break;
    }
    if (fallback) return fallback;
    const who = this.servers.length === 1 ? `resolver ${this.describe()}` : `resolvers ${this.describe()}`;
    throw new ResolverError("no-answer", `${who} did not answer`, question, this.servers, reason);
  }

  /** SRV records of `name`; NXDOMAIN and "no SRV here" both give an empty list. */
  async srv(name: string): Promise<SrvLookup> {
    const response = ensureUsable(await this.query(name, "SRV"));
    const records: SrvRecord[] = [];
    for (const a of response.answers) {
      if (a.type !== "SRV") continue;
      records.push({ priority: a.data.priority ?? 0, weight: a.data.weight ?? 0, port: a.data.port, target: a.data.target.replace(/(.)\.$/, "$1") });
    }
    return { name: response.question.name, rcode: response.rcode, records };
  }

  /** A and AAAA of `name`, following CNAMEs as the recursive server reported them. */
  async addresses(name: string): Promise<AddressLookup> {
    const [a, aaaa] = await Promise.all([this.query(name, "A"), this.query(name, "AAAA")]);
    ensureUsable(a);
    ensureUsable(aaaa);
    const chain = cnameChain(a.question.name, a.answers.length > 0 ? a.answers : aaaa.answers);
    const canonical = chain.length > 0 ? chain[chain.length - 1]! : a.question.name;
    const owned = (answers: Answer[], type: "A" | "AAAA") =>
      answers.flatMap((r) => (r.type === type && r.name.toLowerCase() === canonical.toLowerCase() ? [r.data] : []));
    return {
      name: a.question.name,
      cnames: chain,
      canonical,
      v4: owned(a.answers, "A"),
      v6: owned(aaaa.answers, "AAAA"),
      nxdomain: a.rcode === "NXDOMAIN" && aaaa.rcode === "NXDOMAIN",
    };
  }
}

/** NOERROR and NXDOMAIN carry an answer; anything else becomes a ResolverError. */
function ensureUsable(response: DnsResponse): DnsResponse {
  if (response.rcode === "NOERROR" || response.rcode === "NXDOMAIN") return response;
  const { question, server, rcode } = response;
  throw new ResolverError(
    "error-rcode",
    `resolver ${formatHostPort(server)} answered ${rcode} for ${question.type} ${question.name}`,
    question,
    [server],
    rcode,
  );
}

/** The CNAME targets followed from `name` through the answer section (bounded against loops). */
function cnameChain(name: string, answers: Answer[]): string[] {
  const chain: string[] = [];
  let current = name.toLowerCase();
  for (let hops = 0; hops < 16; hops++) {
    const alias = answers.find((r) => r.type === "CNAME" && r.name.toLowerCase() === current);
    if (alias?.type !== "CNAME") break;
    current = alias.data.replace(/\.$/, "").toLowerCase();
    if (chain.includes(current)) break;
    chain.push(current);
  }
  return chain;
}

/** One question to one server: UDP, then TCP when the reply is truncated. A string says why nothing usable came back. */
async function exchange(server: HostPort, question: Question, timeoutMs: number): Promise<DnsResponse | string> {
  const id = randomInt(0, 0x10000);
  const query = dnsPacket.encode({
    type: "query",
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: question.type, name: question.name, class: "IN" }],
  });
  let packet = await udpExchange(server, query, id, question, timeoutMs);
  let transport: Transport = "udp";
  if (typeof packet !== "string" && packet.flag_tc) {
    packet = await tcpExchange(server, query, id, question, timeoutMs);
    transport = "tcp";
  }
  if (typeof packet === "string") return packet;
  return {
    question,
    rcode: (packet as DecodedPacket & { rcode?: string }).rcode ?? "NOERROR",
    answers: packet.answers ?? [],
    authorities: packet.authorities ?? [],
    server,
    transport,
  };
}

/** Whether `packet` is the reply to our query (id, QR bit, same question); anything else is ignored. */
function replyTo(message: Buffer, id: number, question: Question): DecodedPacket | undefined {
  let packet: DecodedPacket;
  try {
    packet = dnsPacket.decode(message);
  } catch {
    return undefined;
  }
  const q = packet.questions?.[0];
  const sameQuestion = q !== undefined && q.type === question.type && q.name.toLowerCase() === question.name.toLowerCase();
  return packet.id === id && packet.flag_qr && sameQuestion ? packet : undefined;
}

function family(host: string): "udp4" | "udp6" {
  return isIP(host.replace(/%.*$/, "")) === 6 ? "udp6" : "udp4";
}

function udpExchange(server: HostPort, query: Buffer, id: number, question: Question, timeoutMs: number): Promise<DecodedPacket | string> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(family(server.host));
    let settled = false;
    const finish = (outcome: DecodedPacket | string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        socket.close();
      } catch {
        // already closed after an error
      }
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(`no reply within ${timeoutMs} ms`), timeoutMs);
    // ECONNREFUSED arrives here on a connected socket: an ICMP "port unreachable" came back.
    socket.on("error", (err: NodeJS.ErrnoException) => finish(err.code === "ECONNREFUSED" ? "connection refused" : err.message));
    socket.on("message", (message) => {
      const packet = replyTo(message, id, question);
      // A late reply to an earlier attempt, or a forgery: keep waiting for ours.
      if (packet) finish(packet);
    });
    socket.connect(server.port, server.host, () => {
      socket.send(query, (err) => {
        if (err) finish(err.message);
      });
    });
  });
}

function tcpExchange(server: HostPort, query: Buffer, id: number, question: Question, timeoutMs: number): Promise<DecodedPacket | string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: server.host, port: server.port });
    let buffer = Buffer.alloc(0);
    let settled = false;
    const finish = (outcome: DecodedPacket | string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => finish(`no reply over TCP within ${timeoutMs} ms`));
    socket.on("error", (err: NodeJS.ErrnoException) => finish(err.code === "ECONNREFUSED" ? "TCP connection refused" : err.message));
    socket.on("close", () => finish("the server closed the TCP connection without answering"));
    socket.on("connect", () => {
      // RFC 1035 4.2.2: each message is preceded by its length in two octets.
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const size = buffer.readUInt16BE(0);
        const packet = replyTo(buffer.subarray(2, 2 + size), id, question);
        if (packet) return finish(packet);
        buffer = buffer.subarray(2 + size);
      }
    });
  });
}
