// The validated configuration every layer reads. The YAML file, CHATCTL_* environment variables
// and command-line flags are merged and validated into this shape by config/load.ts; nothing
// else reads raw configuration.
import type { LogLevel } from "../log/logger.js";

export interface ListenerConfig {
  enabled: boolean;
  /** IP addresses to bind; default ["0.0.0.0", "::"] (both families). */
  addresses: string[];
  port: number;
}

export interface Config {
  /** The file the configuration came from, or undefined for the embedded default. */
  source?: string;
  /** The XMPP domain served (virtual host). */
  domain: string;
  /** Where the SQLite database, generated certificate and other state live. */
  dataDir: string;
  listeners: {
    /** c2s with STARTTLS (RFC 6120), normally 5222. */
    c2s: ListenerConfig;
    /** c2s with direct TLS (XEP-0368), normally 5223. */
    c2sDirectTls: ListenerConfig;
  };
  tls: {
    /** PEM full chain; when absent a self-signed certificate is generated in dataDir/tls. */
    cert?: string;
    key?: string;
    minVersion: "TLSv1.2" | "TLSv1.3";
  };
  c2s: {
    /** Refuse authentication before TLS (default true). */
    requireEncryption: boolean;
    /** Seconds a connection may take to authenticate before it is closed. */
    authTimeout: number;
    /** Seconds of silence after which a whitespace keepalive is sent (0 = never). */
    keepaliveInterval: number;
    maxStanzaBytesPreAuth: number;
    maxStanzaBytes: number;
    maxDepth: number;
    maxChildren: number;
    /** Hard cap on simultaneous client connections. */
    maxConnections: number;
  };
  auth: {
    backend: "internal";
    /** SCRAM iteration count for newly stored credentials. */
    scramIterations: number;
    /** Failed attempts allowed per window before a remote address is throttled. */
    maxFailuresPerAddress: number;
    /** Failed attempts allowed per window before an account is throttled. */
    maxFailuresPerAccount: number;
    /** The throttling window in seconds. */
    failureWindow: number;
  };
  storage: {
    backend: "sqlite" | "memory";
    /** SQLite file; default dataDir/chatctl.sqlite. */
    path?: string;
  };
  log: {
    level: LogLevel;
    format: "json" | "pretty";
  };
  admin: {
    /** Members of this group are administrators (default "jabberadmins"). */
    group: string;
    /** Extra administrator JIDs. */
    jids: string[];
  };
  /** Service subdomains (names are derived from the domain): which are enabled. */
  services: {
    conference: boolean;
    pubsub: boolean;
    proxy: boolean;
    upload: boolean;
  };
  server: {
    /** Name reported by XEP-0092. */
    name: string;
    /** Report the OS in XEP-0092 answers. */
    revealOs: boolean;
  };
}
