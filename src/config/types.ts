// The validated configuration every layer reads. The YAML file, CHATCTL_* environment variables
// and command-line flags are merged and validated into this shape by config/load.ts; nothing
// else reads raw configuration. Each key's default, rule and doc line live in config/schema.ts
// (the build fails if a key here has no schema entry); the comments below summarise them.
// After loading, paths are absolute, the domain is lower-case and JIDs are prepared.
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
  /** The XMPP domain served (virtual host); default "localhost". */
  domain: string;
  /**
   * Where the SQLite database, generated certificate and other state live; default
   * $XDG_DATA_HOME/chatctl or ~/.local/share/chatctl, /var/lib/chatctl for root.
   */
  dataDir: string;
  listeners: {
    /** c2s with STARTTLS (RFC 6120), default port 5222. */
    c2s: ListenerConfig;
    /** c2s with direct TLS (XEP-0368), default port 5223. */
    c2sDirectTls: ListenerConfig;
  };
  tls: {
    /** PEM full chain; when absent a self-signed certificate is generated in dataDir/tls. Set with key. */
    cert?: string;
    /** PEM private key of cert; set exactly when cert is. */
    key?: string;
    /** Default "TLSv1.2". */
    minVersion: "TLSv1.2" | "TLSv1.3";
  };
  c2s: {
    /** Refuse authentication before TLS (default true). */
    requireEncryption: boolean;
    /** Seconds a connection may take to authenticate before it is closed (default 30). */
    authTimeout: number;
    /** Seconds of silence after which a whitespace keepalive is sent (0 = never; default 60). */
    keepaliveInterval: number;
    /** Largest stanza before authentication (default 10 000 bytes); at most maxStanzaBytes. */
    maxStanzaBytesPreAuth: number;
    /** Largest stanza after authentication (default 262 144 bytes). */
    maxStanzaBytes: number;
    /** Deepest element nesting in a stanza (default 32). */
    maxDepth: number;
    /** Most child elements in one stanza (default 25 000). */
    maxChildren: number;
    /** Hard cap on simultaneous client connections (default 10 000). */
    maxConnections: number;
  };
  auth: {
    backend: "internal";
    /** SCRAM iteration count for newly stored credentials (default and minimum 4096, RFC 7677). */
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
    /** SQLite file; when absent, consumers use dataDir/chatctl.sqlite. */
    path?: string;
  };
  log: {
    /** Default "info". */
    level: LogLevel;
    /** Default "pretty" when stderr was a TTY at load time, else "json". */
    format: "json" | "pretty";
  };
  admin: {
    /** Members of this group are administrators (default "jabberadmins"). */
    group: string;
    /** Extra administrator accounts, as prepared bare JIDs. */
    jids: string[];
  };
  /** Service subdomains (names are derived from the domain): which are enabled (all by default). */
  services: {
    conference: boolean;
    pubsub: boolean;
    proxy: boolean;
    upload: boolean;
  };
  server: {
    /** Name reported by XEP-0092 (default "chatctl"). */
    name: string;
    /** Report the OS in XEP-0092 answers. */
    revealOs: boolean;
  };
  offline: {
    /** Messages held per account while it is offline (default 1000). */
    maxMessages: number;
  };
  mam: {
    /** Archiving for accounts without preferences (default "always"). */
    defaultPolicy: "always" | "never" | "roster";
    /** Results per page when the client does not say (default 20). */
    defaultPageSize: number;
    /** Largest page the server returns (default 100). */
    maxPageSize: number;
    /** Purge archived/offline messages older than this many days (0 = forever, the default). */
    retentionDays: number;
    /** Archive size cap in bytes (default 2 GiB; 0 = none). */
    maxStorageBytes: number;
  };
  /** HTTP file upload (XEP-0363) on upload.<domain>: the HTTPS listener, limits and expiry. */
  upload: {
    /** HTTPS port for PUT and GET (default 5281). */
    port: number;
    /** IP addresses to bind; default ["0.0.0.0", "::"] (both families). */
    addresses: string[];
    /** Base of the URLs handed out; default https://upload.<domain>:<port>. */
    publicUrl?: string;
    /** Largest file accepted, in bytes (default 100 MiB), advertised in disco. */
    maxFileBytes: number;
    /** Bytes of files (stored and reserved) per account (default 1 GiB; 0 = no quota). */
    quotaBytes: number;
    /** Files are removed this many days after their upload (default 30; 0 = kept forever). */
    expireDays: number;
    /** Seconds a client has to start the PUT after getting a slot (default 300). */
    slotTimeoutSeconds: number;
  };
  /** SOCKS5 bytestream proxy (XEP-0065) on proxy.<domain>: the listener, what it advertises, limits. */
  proxy: {
    /** TCP port of the SOCKS5 listener (default 7777). */
    port: number;
    /** IP addresses to bind; default ["0.0.0.0", "::"] (both families), so LAN clients reach it. */
    addresses: string[];
    /**
     * Host name or IPv4 address clients are told to connect to; default: a specific bind address,
     * else loopback for a localhost domain, else an address of this machine's interfaces.
     */
    advertisedHost?: string;
    /** Bytes one transfer may carry (default 0 = no cap). */
    maxTransferBytes: number;
    /** Bytes per second one transfer may carry (default 0 = no cap). */
    maxBytesPerSecond: number;
    /** Seconds without traffic before a connection (negotiating, waiting or relaying) is closed (default 60). */
    idleTimeoutSeconds: number;
    /** Streams (waiting or active) open at once (default 100). */
    maxConcurrent: number;
    /** Who may use the proxy: accounts of this domain (default "local") or anyone. */
    access: "local" | "any";
  };
  muc: {
    /** Default history per room (default 20). */
    historyLength: number;
    /** Upper bound of a room's configured history (default 100). */
    maxHistoryLength: number;
    /** Who may create rooms (default "local": accounts of this domain). */
    roomCreation: "local" | "anyone" | "admin";
    /** New rooms archive their messages (XEP-0313 on the room JID) unless their owner turns it off (default true). */
    archiveByDefault: boolean;
  };
  pubsub: {
    /** Items one node keeps at most; the meaning of max_items "max" (default 256). */
    maxItems: number;
    /** Largest item payload in bytes (default 256 KiB). */
    maxPayloadBytes: number;
    /** Nodes one account may own (default 1000). */
    maxNodesPerOwner: number;
    /** Who may create nodes on pubsub.<domain> (default "local"). */
    nodeCreation: "local" | "anyone";
  };
}
