// An incremental reader of the two messages a SOCKS5 client sends before relaying starts (RFC 1928
// §3 greeting, §4 request). TCP may split or join them in any way — one byte per segment, or the
// greeting, the request and the first payload bytes in one — so bytes are buffered until a whole
// message is there, and whatever follows the request is handed back untouched as payload.
// Framing only: whether a command or address type is acceptable is the server's decision.
import { AddressType, SOCKS_VERSION } from "./protocol.js";

export interface Greeting {
  kind: "greeting";
  /** The authentication methods the client offers (RFC 1928 §3). */
  methods: number[];
}

export interface Request {
  kind: "request";
  command: number;
  addressType: number;
  /** Dotted IPv4, IPv6 text, or the domain name as sent (bytes read as latin1). */
  address: string;
  port: number;
}

/** Bytes that cannot be a SOCKS5 message; the connection cannot go on. */
export interface Malformed {
  kind: "malformed";
  reason: string;
  /** Set when the request was framed far enough to know it is a request with an unknown ATYP. */
  unknownAddressType?: number;
}

export type ClientMessage = Greeting | Request | Malformed;

type Stage = "greeting" | "request" | "done";

export class Socks5ClientReader {
  private stage: Stage = "greeting";
  private buffered: Buffer = Buffer.alloc(0);

  /** Adds received bytes; returns the messages they complete, in order (nothing after a Malformed). */
  push(chunk: Buffer): ClientMessage[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const out: ClientMessage[] = [];
    while (this.stage !== "done") {
      const msg = this.stage === "greeting" ? this.readGreeting() : this.readRequest();
      if (msg === undefined) break;
      out.push(msg);
      if (msg.kind === "malformed") {
        this.stage = "done";
        this.buffered = Buffer.alloc(0);
        break;
      }
      this.stage = msg.kind === "greeting" ? "request" : "done";
    }
    return out;
  }

  /** Bytes received after the request: the first payload, to be relayed once the stream is active. */
  takeRest(): Buffer {
    const rest = this.buffered;
    this.buffered = Buffer.alloc(0);
    return rest;
  }

  /** Whether both messages were read (or the input was malformed). */
  get done(): boolean {
    return this.stage === "done";
  }

  private consume(n: number): Buffer {
    const head = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return head;
  }

  /** VER NMETHODS METHODS… */
  private readGreeting(): ClientMessage | undefined {
    const b = this.buffered;
    if (b.length < 1) return undefined;
    if (b[0] !== SOCKS_VERSION) return { kind: "malformed", reason: `not SOCKS5 (version byte ${b[0]})` };
    if (b.length < 2) return undefined;
    const n = b[1]!;
    if (b.length < 2 + n) return undefined;
    const methods = [...this.consume(2 + n).subarray(2)];
    return { kind: "greeting", methods };
  }

  /** VER CMD RSV ATYP DST.ADDR DST.PORT */
  private readRequest(): ClientMessage | undefined {
    const b = this.buffered;
    if (b.length < 1) return undefined;
    if (b[0] !== SOCKS_VERSION) return { kind: "malformed", reason: `request is not SOCKS5 (version byte ${b[0]})` };
    if (b.length < 4) return undefined;
    const atyp = b[3]!;
    let addressLength: number;
    let addressStart = 4;
    if (atyp === AddressType.IPV4) addressLength = 4;
    else if (atyp === AddressType.IPV6) addressLength = 16;
    else if (atyp === AddressType.DOMAIN) {
      if (b.length < 5) return undefined;
      addressLength = b[4]!;
      addressStart = 5;
    } else {
      // The length of DST.ADDR is unknown, so nothing after this byte can be framed.
      return { kind: "malformed", reason: `unknown address type ${atyp}`, unknownAddressType: atyp };
    }
    const total = addressStart + addressLength + 2;
    if (b.length < total) return undefined;
    const msg = this.consume(total);
    const raw = msg.subarray(addressStart, addressStart + addressLength);
    const address =
      atyp === AddressType.IPV4 ? [...raw].join(".") : atyp === AddressType.IPV6 ? ipv6Text(raw) : raw.toString("latin1");
    return { kind: "request", command: msg[1]!, addressType: atyp, address, port: msg.readUInt16BE(total - 2) };
  }
}

function ipv6Text(raw: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(raw.readUInt16BE(i).toString(16));
  return groups.join(":");
}
