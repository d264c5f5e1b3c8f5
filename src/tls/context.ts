// The server's TLS state: one SecureContext shared by every listener (direct TLS and STARTTLS),
// swapped on reload (SIGHUP) so new connections get the new certificate while established
// connections keep the SSL session they already have.
import { randomBytes } from "node:crypto";
import * as tls from "node:tls";
import type { Config } from "../config/types.js";
import type { Logger } from "../log/logger.js";
import { loadOrCreateCredentials, type TlsCredentials } from "./credentials.js";

export type ReloadResult = { ok: true } | { ok: false; error: Error };

/** Node's session ticket keys: 16 bytes name, 16 bytes HMAC secret, 16 bytes AES key. */
const TICKET_KEYS_BYTES = 48;
/** How long a client may resume a session (seconds); tickets also die with the keys on reload. */
const SESSION_TIMEOUT_S = 3600;
/**
 * A fixed session id context, identical in the listener's own context and in ours, so that a
 * session established through one can be resumed through the other (OpenSSL compares them).
 */
const SESSION_ID_CONTEXT = "chatctl";

export class TlsContextManager {
  #config: Config;
  readonly #log: Logger;
  #credentials: TlsCredentials;
  #ticketKeys: Buffer;
  #context: tls.SecureContext;
  readonly #servers = new Set<tls.Server>();

  /** Loads (or generates) the credentials unless given; throws ConfigError when they are unusable. */
  constructor(config: Config, log: Logger, credentials: TlsCredentials = loadOrCreateCredentials(config, log)) {
    this.#config = config;
    this.#log = log;
    this.#credentials = credentials;
    this.#ticketKeys = randomBytes(TICKET_KEYS_BYTES);
    this.#context = tls.createSecureContext(this.#contextOptions());
  }

  /** The context for the next connection. */
  get context(): tls.SecureContext {
    return this.#context;
  }

  get credentials(): TlsCredentials {
    return this.#credentials;
  }

  /**
   * Re-reads the certificate and key (and takes tls settings from `config` when given). On
   * success new connections use the new context and fresh ticket keys; on failure the current
   * context stays in place and the error is returned, so a broken file never takes TLS down.
   */
  reload(config: Config = this.#config): ReloadResult {
    let credentials: TlsCredentials;
    let context: tls.SecureContext;
    const ticketKeys = randomBytes(TICKET_KEYS_BYTES);
    try {
      credentials = loadOrCreateCredentials(config, this.#log);
      context = tls.createSecureContext(contextOptions(config, credentials, ticketKeys));
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.#log.error({ err: error }, "TLS reload failed; keeping the current certificate");
      return { ok: false, error };
    }
    this.#config = config;
    this.#credentials = credentials;
    this.#ticketKeys = ticketKeys;
    this.#context = context;
    for (const server of this.#servers) server.setSecureContext(this.#contextOptions());
    this.#log.info({ cert: credentials.certPath, names: credentials.names }, "TLS certificate reloaded");
    return { ok: true };
  }

  /**
   * Options for `tls.createServer(...)` and, spread with `isServer: true`, for
   * `new tls.TLSSocket(socket, ...)` on STARTTLS. `secureContext` serves the TLSSocket case;
   * `SNICallback` hands every client that sends SNI the current context, so reload reaches
   * listeners that were created earlier. A tls.Server's own context (used for clients that send
   * no SNI, e.g. connecting by IP address, and the one whose keys seal session tickets) is kept
   * current only by `attach(server)`, so attach every tls.Server built from these options.
   */
  serverOptions(): tls.TlsOptions {
    return {
      ...this.#contextOptions(),
      secureContext: this.#context,
      SNICallback: (_servername, callback) => callback(null, this.#context),
    };
  }

  /**
   * Keeps a tls.Server's default context in step with reload. Returns the function that stops
   * doing so (call it when the listener closes).
   */
  attach(server: tls.Server): () => void {
    this.#servers.add(server);
    return () => {
      this.#servers.delete(server);
    };
  }

  #contextOptions(): tls.SecureContextOptions {
    return contextOptions(this.#config, this.#credentials, this.#ticketKeys);
  }
}

function contextOptions(config: Config, credentials: TlsCredentials, ticketKeys: Buffer): tls.SecureContextOptions {
  return {
    cert: credentials.cert,
    key: credentials.key,
    minVersion: config.tls.minVersion ?? "TLSv1.2",
    // Node's default cipher list is sound; what matters is that the server's order wins.
    honorCipherOrder: true,
    ticketKeys,
    sessionTimeout: SESSION_TIMEOUT_S,
    sessionIdContext: SESSION_ID_CONTEXT,
  };
}
