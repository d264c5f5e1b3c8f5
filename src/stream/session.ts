// What the rest of the server may know about a client connection. The connection class
// (c2s-connection.ts) implements it; features see only this interface, keep their own per-session
// state in module-owned WeakMaps, and never add fields here (STYLE-ANCHORS §4.5-1).
import type { Jid } from "../jid/jid.js";
import type { Logger } from "../log/logger.js";
import type { StreamError } from "../stanza/errors.js";
import type { Element } from "../xml/element.js";

/**
 * connected → (STARTTLS, SASL) → authenticated → (resource binding) → bound → closed.
 * Security (TLS) is orthogonal and reported by `secure`.
 */
export type SessionState = "connected" | "authenticated" | "bound" | "closed";

export interface SessionInfo {
  readonly id: string;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly connectedAt: Date;
  /** "TLSv1.3" etc. when encrypted. */
  readonly tlsVersion: string | undefined;
  readonly secure: boolean;
  /** Direct TLS (XEP-0368) rather than STARTTLS. */
  readonly directTls: boolean;
}

export interface Session extends SessionInfo {
  readonly kind: "c2s";
  readonly state: SessionState;
  /** The virtual host this stream was opened for (empty until the stream header arrived). */
  readonly host: string;
  /** Prepared localpart once authenticated. */
  readonly username: string | undefined;
  /** Full JID once bound. */
  readonly jid: Jid | undefined;
  readonly log: Logger;
  /**
   * Presence routing state, owned by the presence module but read by the router's RFC 6121 §8.5
   * delivery rules: the last available presence broadcast (undefined until initial presence and
   * after unavailable) and its priority.
   */
  presence: Element | undefined;
  priority: number;

  /** Queues a stanza (or raw XML) for this client; writes are batched per tick. */
  send(el: Element | string): void;
  /** Closes the stream, with a stream error when given. Idempotent. */
  close(error?: StreamError): void;

  // Capabilities the stream negotiation modules drive (tls, saslauth, bind).
  /** STARTTLS is possible on this transport right now. */
  readonly canStartTls: boolean;
  /** Upgrades the transport to TLS after <proceed/> was written; the client then restarts the stream. */
  startTls(): void;
  /** Channel-binding data of the TLS connection (RFC 5929 / RFC 9266), when available. */
  channelBindings(): Partial<Record<"tls-exporter" | "tls-unique", Buffer>>;
  /** Marks the session authenticated as `username`; the client then restarts the stream. */
  authenticate(username: string): void;
  /** Binds the resource (the registry enforces uniqueness; done by the bind module). */
  bind(jid: Jid): void;
}
