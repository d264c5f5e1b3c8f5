// The one description of every configuration key. Defaults, validation, CHATCTL_* variable
// names, the reference table (man page, --help) and chatctl.example.yml are all derived from
// SCHEMA below, so they cannot drift apart; the type checks at the bottom fail the build when
// Config (types.ts) gains a key this list does not describe.
import { accessSync, constants, statSync } from "node:fs";
import { isIP, isIPv4 } from "node:net";
import { homedir } from "node:os";
import { join, resolve, isAbsolute } from "node:path";
import { Jid } from "../jid/jid.js";
import { LOG_LEVELS } from "../log/logger.js";
import { nearest } from "./suggest.js";
import type { Config } from "./types.js";

// ---------------------------------------------------------------------------------------------
// Key paths and their value types, computed from Config.

type Leaf = string | number | boolean | readonly string[];
type PathsOf<T, Prefix extends string> = {
  [K in keyof T & string]-?: NonNullable<T[K]> extends Leaf ? `${Prefix}${K}` : PathsOf<NonNullable<T[K]>, `${Prefix}${K}.`>;
}[keyof T & string];

/** Every leaf key of Config as a dotted path: "domain", "listeners.c2s.port", … */
export type ConfigPath = PathsOf<Omit<Config, "source">, "">;

/** The type Config holds at a path (including undefined for optional keys). */
export type ValueAt<P extends string, T = Config> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? ValueAt<Rest, NonNullable<T[Head]>>
    : never
  : P extends keyof T
    ? T[P]
    : never;

// ---------------------------------------------------------------------------------------------
// Key descriptions.

/** Facts computed defaults depend on, captured once per load. */
export interface DefaultContext {
  env: NodeJS.ProcessEnv;
  isRoot: boolean;
  home: string;
  stderrIsTTY: boolean;
}

/** What a key holds and which values are valid; the kinds available depend on the value type. */
type RuleFor<V> = [V] extends [boolean]
  ? { kind: "boolean" }
  : [V] extends [number]
    ? { kind: "port" } | { kind: "integer"; min: number; max?: number }
    : [V] extends [readonly string[]]
      ? { kind: "list"; item: "ip" | "bareJid" }
      : string extends V
        ? { kind: "string"; format: "domain" | "name" } | { kind: "path"; readableFile: boolean }
        : { kind: "enum"; values: readonly V[] };

type Computed<V> = (ctx: DefaultContext) => V;

export type KeySpec<P extends ConfigPath> = {
  path: P;
  /** One line for the reference table and the example file. */
  doc: string;
  /** The default; a function when it depends on the environment; undefined for an optional key. */
  default: ValueAt<P> | Computed<ValueAt<P>>;
  /** How a computed default reads in documentation. */
  defaultDoc?: string;
  /** A realistic value for an optional or computed key, shown in the example file. */
  example?: string;
} & RuleFor<NonNullable<ValueAt<P>>>;

/** A key description with its value type erased, for code that walks every key. */
export type AnyKeySpec = {
  path: ConfigPath;
  doc: string;
  default: unknown;
  defaultDoc?: string;
  example?: string;
} & (
  | { kind: "boolean" }
  | { kind: "port" }
  | { kind: "integer"; min: number; max?: number }
  | { kind: "list"; item: "ip" | "bareJid" }
  | { kind: "string"; format: "domain" | "name" }
  | { kind: "path"; readableFile: boolean }
  | { kind: "enum"; values: readonly string[] }
);

function key<P extends ConfigPath>(spec: KeySpec<P>): KeySpec<P> {
  return spec;
}

const ALL_ADDRESSES = ["0.0.0.0", "::"];

/** The default data directory: per-user under XDG for a normal user, system-wide for root. */
export function defaultDataDir(ctx: DefaultContext): string {
  if (ctx.isRoot) return "/var/lib/chatctl";
  const xdg = ctx.env.XDG_DATA_HOME;
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, "chatctl");
  return join(ctx.home, ".local", "share", "chatctl");
}

const SCHEMA = [
  key({
    path: "domain",
    kind: "string",
    format: "domain",
    default: "localhost",
    doc: "The XMPP domain served: accounts are user@domain.",
  }),
  key({
    path: "dataDir",
    kind: "path",
    readableFile: false,
    default: defaultDataDir,
    defaultDoc: "$XDG_DATA_HOME/chatctl or ~/.local/share/chatctl; /var/lib/chatctl for root",
    example: "/var/lib/chatctl",
    doc: "Where the SQLite database, generated certificate and other state live.",
  }),
  key({ path: "listeners.c2s.enabled", kind: "boolean", default: true, doc: "Accept client connections with STARTTLS (RFC 6120)." }),
  key({ path: "listeners.c2s.addresses", kind: "list", item: "ip", default: ALL_ADDRESSES, doc: "IP addresses to bind (both families by default)." }),
  key({ path: "listeners.c2s.port", kind: "port", default: 5222, doc: "TCP port for STARTTLS client connections (0 picks a free port)." }),
  key({ path: "listeners.c2sDirectTls.enabled", kind: "boolean", default: true, doc: "Accept client connections with direct TLS (XEP-0368)." }),
  key({ path: "listeners.c2sDirectTls.addresses", kind: "list", item: "ip", default: ALL_ADDRESSES, doc: "IP addresses to bind (both families by default)." }),
  key({ path: "listeners.c2sDirectTls.port", kind: "port", default: 5223, doc: "TCP port for direct-TLS client connections (0 picks a free port)." }),
  key({
    path: "tls.cert",
    kind: "path",
    readableFile: true,
    default: undefined,
    defaultDoc: "unset, so a self-signed certificate is generated in dataDir/tls",
    example: "/etc/chatctl/tls/fullchain.pem",
    doc: "PEM certificate with its full chain; set together with tls.key.",
  }),
  key({
    path: "tls.key",
    kind: "path",
    readableFile: true,
    default: undefined,
    defaultDoc: "unset, generated with the self-signed certificate",
    example: "/etc/chatctl/tls/privkey.pem",
    doc: "PEM private key of tls.cert; set together with tls.cert.",
  }),
  key({ path: "tls.minVersion", kind: "enum", values: ["TLSv1.2", "TLSv1.3"], default: "TLSv1.2", doc: "Oldest TLS version accepted." }),
  key({ path: "c2s.requireEncryption", kind: "boolean", default: true, doc: "Refuse authentication before TLS is established." }),
  key({ path: "c2s.authTimeout", kind: "integer", min: 1, default: 30, doc: "Seconds a connection may take to authenticate before it is closed." }),
  key({ path: "c2s.keepaliveInterval", kind: "integer", min: 0, default: 60, doc: "Seconds of silence before a whitespace keepalive is sent (0 = never)." }),
  key({ path: "c2s.maxStanzaBytesPreAuth", kind: "integer", min: 1, default: 10_000, doc: "Largest stanza accepted before authentication, in bytes." }),
  key({ path: "c2s.maxStanzaBytes", kind: "integer", min: 1, default: 262_144, doc: "Largest stanza accepted after authentication, in bytes." }),
  key({ path: "c2s.maxDepth", kind: "integer", min: 1, default: 32, doc: "Deepest element nesting accepted in a stanza." }),
  key({ path: "c2s.maxChildren", kind: "integer", min: 1, default: 25_000, doc: "Most child elements accepted in one stanza." }),
  key({ path: "c2s.maxConnections", kind: "integer", min: 1, default: 10_000, doc: "Hard cap on simultaneous client connections." }),
  key({ path: "auth.backend", kind: "enum", values: ["internal"], default: "internal", doc: "Where accounts and credentials live (internal = hashed in storage)." }),
  // RFC 7677 §4: the iteration count SHOULD be at least 4096.
  key({ path: "auth.scramIterations", kind: "integer", min: 4096, default: 4096, doc: "SCRAM iteration count for newly stored credentials (RFC 7677: at least 4096)." }),
  key({ path: "auth.maxFailuresPerAddress", kind: "integer", min: 1, default: 10, doc: "Failed logins per window before a remote address is throttled." }),
  key({ path: "auth.maxFailuresPerAccount", kind: "integer", min: 1, default: 5, doc: "Failed logins per window before an account is throttled." }),
  key({ path: "auth.failureWindow", kind: "integer", min: 1, default: 300, doc: "Length of the login-throttling window, in seconds." }),
  key({ path: "storage.backend", kind: "enum", values: ["sqlite", "memory"], default: "sqlite", doc: "Storage engine (memory keeps nothing across restarts)." }),
  key({
    path: "storage.path",
    kind: "path",
    readableFile: false,
    default: undefined,
    defaultDoc: "dataDir/chatctl.sqlite",
    example: "/var/lib/chatctl/chatctl.sqlite",
    doc: "The SQLite database file.",
  }),
  key({ path: "log.level", kind: "enum", values: LOG_LEVELS, default: "info", doc: "Least severe log level written." }),
  key({
    path: "log.format",
    kind: "enum",
    values: ["json", "pretty"],
    default: (ctx) => (ctx.stderrIsTTY ? "pretty" : "json"),
    defaultDoc: "pretty when stderr is a terminal, else json",
    example: "json",
    doc: "Log line format: json lines or short human-readable lines.",
  }),
  key({ path: "admin.group", kind: "string", format: "name", default: "jabberadmins", doc: "Members of this auth group are administrators." }),
  key({ path: "admin.jids", kind: "list", item: "bareJid", default: [], doc: "Extra administrator accounts (bare JIDs)." }),
  key({ path: "services.conference", kind: "boolean", default: true, doc: "Group chat (XEP-0045) on conference.<domain>." }),
  key({ path: "services.pubsub", kind: "boolean", default: true, doc: "Publish-subscribe (XEP-0060) on pubsub.<domain>." }),
  key({ path: "services.proxy", kind: "boolean", default: true, doc: "File-transfer proxy (XEP-0065) on proxy.<domain>." }),
  key({ path: "services.upload", kind: "boolean", default: true, doc: "HTTP file upload (XEP-0363) on upload.<domain>." }),
  key({ path: "server.name", kind: "string", format: "name", default: "chatctl", doc: "Software name reported by XEP-0092." }),
  key({ path: "server.revealOs", kind: "boolean", default: false, doc: "Report the operating system in XEP-0092 answers." }),
  key({ path: "offline.maxMessages", kind: "integer", min: 1, default: 1000, doc: "Messages held per account while it is offline (XEP-0160); when full, senders get resource-constraint." }),
  key({ path: "mam.defaultPolicy", kind: "enum", values: ["always", "never", "roster"], default: "always", doc: "What is archived for accounts that never set archive preferences (XEP-0313)." }),
  key({ path: "mam.defaultPageSize", kind: "integer", min: 1, default: 20, doc: "Archive results per page when a client does not ask for a size." }),
  key({ path: "mam.maxPageSize", kind: "integer", min: 1, default: 100, doc: "Most archive results one page may hold, whatever the client asks." }),
  key({ path: "mam.retentionDays", kind: "integer", min: 0, default: 0, doc: "Archived messages of accounts and rooms, and offline messages, older than this many days are purged daily (0 = keep forever)." }),
  key({ path: "mam.maxStorageBytes", kind: "integer", min: 0, default: 2147483648, doc: "Archive size cap in bytes (default 2 GiB): warn at 80 %, remove the oldest archived messages above it, accounts' and rooms' alike (0 = no cap)." }),
  key({ path: "muc.historyLength", kind: "integer", min: 0, default: 20, doc: "Discussion history a room keeps and sends on join by default (XEP-0045 §7.2.15)." }),
  key({ path: "muc.maxHistoryLength", kind: "integer", min: 0, default: 100, doc: "Upper bound of a room's configured history, so memory stays bounded." }),
  key({ path: "muc.roomCreation", kind: "enum", values: ["local", "anyone", "admin"], default: "local", doc: "Who may create rooms: accounts of this domain, anyone, or administrators only." }),
  key({ path: "muc.archiveByDefault", kind: "boolean", default: true, doc: "New rooms keep an archive of their messages that occupants query with XEP-0313 (owners may turn it off per room); retention applies as to accounts' archives." }),
  key({ path: "upload.port", kind: "port", default: 5281, doc: "HTTPS port where clients upload (PUT) and download (GET) shared files (0 picks a free port)." }),
  key({ path: "upload.addresses", kind: "list", item: "ip", default: ALL_ADDRESSES, doc: "IP addresses the upload HTTPS listener binds (both families by default)." }),
  key({
    path: "upload.publicUrl",
    kind: "string",
    format: "name",
    default: undefined,
    defaultDoc: "https://upload.<domain>:<port>",
    example: "https://upload.example.org:5281",
    doc: "Base of the upload and download URLs handed to clients (set it when a reverse proxy or another name fronts the listener).",
  }),
  key({ path: "upload.maxFileBytes", kind: "integer", min: 1, default: 104_857_600, doc: "Largest file accepted, in bytes (default 100 MiB); advertised to clients in disco (XEP-0363)." }),
  key({ path: "upload.quotaBytes", kind: "integer", min: 0, default: 1_073_741_824, doc: "Bytes of stored and reserved files per account (default 1 GiB; 0 = no quota)." }),
  key({ path: "upload.expireDays", kind: "integer", min: 0, default: 30, doc: "Uploaded files are removed this many days after their upload, daily (0 = keep forever)." }),
  key({ path: "upload.slotTimeoutSeconds", kind: "integer", min: 1, default: 300, doc: "Seconds a client has to start uploading after it was given a slot." }),
  key({ path: "proxy.port", kind: "port", default: 7777, doc: "TCP port of the SOCKS5 file-transfer proxy (XEP-0065); open it in the firewall for LAN clients (0 picks a free port)." }),
  key({ path: "proxy.addresses", kind: "list", item: "ip", default: ALL_ADDRESSES, doc: "IP addresses the SOCKS5 proxy binds (both families by default, so other machines reach it)." }),
  key({
    path: "proxy.advertisedHost",
    kind: "string",
    format: "domain",
    default: undefined,
    defaultDoc: "a specific proxy.addresses entry; else 127.0.0.1 for a localhost domain; else an IPv4 (then IPv6) address of this machine's interfaces, a public one first for a public domain",
    example: "192.168.1.10",
    doc: "Host name or IPv4 address clients are told to connect to for transfers (chatctl doctor shows the one in use).",
  }),
  key({ path: "proxy.maxTransferBytes", kind: "integer", min: 0, default: 0, doc: "Bytes one transfer may carry, both directions together; the transfer is cut when it goes over (0 = no cap)." }),
  key({ path: "proxy.maxBytesPerSecond", kind: "integer", min: 0, default: 0, doc: "Bytes per second one transfer may carry; faster senders are slowed down, not cut (0 = no cap)." }),
  key({ path: "proxy.idleTimeoutSeconds", kind: "integer", min: 1, default: 60, doc: "Seconds without traffic after which a proxy connection is closed, whether negotiating, waiting for its peer or relaying." }),
  key({ path: "proxy.maxConcurrent", kind: "integer", min: 1, default: 100, doc: "Transfers (waiting or active) the proxy handles at once; more are refused." }),
  key({ path: "proxy.access", kind: "enum", values: ["local", "any"], default: "local", doc: "Who may use the proxy: accounts of this domain, or anyone (including federated users)." }),
  key({ path: "pubsub.maxItems", kind: "integer", min: 1, default: 256, doc: "Most items one pubsub or PEP node keeps; what a node's max_items \"max\" means (XEP-0060)." }),
  key({ path: "pubsub.maxPayloadBytes", kind: "integer", min: 1, default: 262_144, doc: "Largest item payload accepted by pubsub and PEP, in bytes." }),
  key({ path: "pubsub.maxNodesPerOwner", kind: "integer", min: 1, default: 1000, doc: "Most nodes one account may own on pubsub.<domain>, and in its own PEP service." }),
  key({ path: "pubsub.nodeCreation", kind: "enum", values: ["local", "anyone"], default: "local", doc: "Who may create nodes on pubsub.<domain>: accounts of this domain, or anyone." }),
] as const;

/** Every key, in the order documentation and the example file present them. */
export const CONFIG_KEYS: readonly AnyKeySpec[] = SCHEMA;

/** One line about each section, for the example file and the reference. */
export const SECTION_DOCS: Readonly<Record<string, string>> = {
  listeners: "Where clients connect.",
  "listeners.c2s": "Client connections, STARTTLS (normally port 5222).",
  "listeners.c2sDirectTls": "Client connections, direct TLS (normally port 5223).",
  tls: "Certificate and protocol versions for both listeners.",
  c2s: "Client sessions: encryption, timeouts and the parser's limits.",
  auth: "Accounts, SCRAM and login throttling.",
  storage: "Where accounts, rosters, archives and other data are stored.",
  log: "Server logs (written to stderr).",
  admin: "Who may run administrative commands.",
  services: "Service subdomains, named after the domain.",
  server: "What the server says about itself.",
  offline: "Messages held for accounts that are offline (XEP-0160).",
  mam: "The message archive (XEP-0313): defaults, page sizes, retention and size cap.",
  muc: "Group chat rooms on conference.<domain> (XEP-0045).",
  pubsub: "Publish-subscribe on pubsub.<domain> (XEP-0060) and personal eventing on every account (XEP-0163).",
  proxy: "The SOCKS5 file-transfer proxy (XEP-0065) on proxy.<domain>: listener, advertised address and limits.",
  upload: "HTTP file upload (XEP-0363) on upload.<domain>: the HTTPS listener, size limits, quota and expiry.",
};

// Compile-time guard: a Config key without a SCHEMA entry names itself in this error.
type Described = (typeof SCHEMA)[number]["path"];
type Undescribed = Exclude<ConfigPath, Described>;
const everyConfigKeyIsDescribed: [Undescribed] extends [never] ? true : { undescribed: Undescribed } = true;
void everyConfigKeyIsDescribed;

const byPath = new Map<string, AnyKeySpec>(CONFIG_KEYS.map((spec) => [spec.path, spec]));

/** Dotted prefixes of keys: "listeners", "listeners.c2s", "tls", … */
export const SECTIONS: ReadonlySet<string> = new Set(
  CONFIG_KEYS.flatMap((spec) => spec.path.split(".").slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join("."))),
);

export function keySpec(path: string): AnyKeySpec | undefined {
  return byPath.get(path);
}

/** Is the key optional (no value by default, may be left unset)? */
export function isOptional(spec: AnyKeySpec): boolean {
  return spec.default === undefined;
}

// ---------------------------------------------------------------------------------------------
// Derived: variable names, defaults, documentation text.

/** CHATCTL_ + the path's camelCase segments in UPPER_SNAKE: listeners.c2s.port → CHATCTL_LISTENERS_C2S_PORT. */
export function envName(path: string): string {
  const snake = path.split(".").map((segment) => segment.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase());
  return ["CHATCTL", ...snake].join("_");
}

export function defaultContext(env: NodeJS.ProcessEnv): DefaultContext {
  return {
    env,
    isRoot: process.getuid?.() === 0,
    home: env.HOME !== undefined && env.HOME !== "" ? env.HOME : homedir(),
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

/** The key's default in this environment (a fresh copy: callers may keep and change it). */
export function defaultValue(spec: AnyKeySpec, ctx: DefaultContext): unknown {
  const value = typeof spec.default === "function" ? (spec.default as Computed<unknown>)(ctx) : spec.default;
  return Array.isArray(value) ? [...value] : value;
}

/** The value type in words, for the reference table. */
export function typeText(spec: AnyKeySpec): string {
  switch (spec.kind) {
    case "boolean":
      return "boolean";
    case "port":
      return "port (0–65535)";
    case "integer":
      return spec.max !== undefined ? `integer ${spec.min}–${spec.max}` : `integer ≥ ${spec.min}`;
    case "enum":
      return spec.values.join(" | ");
    case "string":
      return spec.format === "domain" ? "domain name" : "string";
    case "path":
      return spec.readableFile ? "path to a readable file" : "path";
    case "list":
      return spec.item === "ip" ? "list of IP addresses" : "list of bare JIDs";
  }
}

/** What the key must hold, as the "expected …" phrase of an error. */
function expectedText(spec: AnyKeySpec): string {
  switch (spec.kind) {
    case "boolean":
      return "true or false";
    case "port":
      return "an integer port 0–65535";
    case "integer":
      if (spec.max !== undefined) return `an integer ${spec.min}–${spec.max}`;
      return spec.min === 0 ? "a non-negative integer" : spec.min === 1 ? "a positive integer" : `an integer ≥ ${spec.min}`;
    case "enum":
      return `one of ${spec.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "string":
      return spec.format === "domain" ? "a domain name such as chat.example.org" : "a non-empty string";
    case "path":
      return spec.readableFile ? "the path of a readable file" : "a path";
    case "list":
      return spec.item === "ip" ? "a non-empty list of IP addresses" : "a list of bare JIDs (user@domain)";
  }
}

/** How values are written where the bad one came from: YAML in the file, plain text in variables and flags. */
export type Syntax = "yaml" | "text";

/** A valid value to suggest, written the way `syntax` needs it. */
function exampleText(spec: AnyKeySpec, syntax: Syntax): string {
  const ctx: DefaultContext = { env: {}, isRoot: true, home: "/root", stderrIsTTY: false };
  const value = spec.example ?? defaultValue(spec, ctx);
  if (Array.isArray(value)) {
    const items = value.length > 0 ? value : ["admin@example.org"];
    return syntax === "yaml" ? `[${items.map((v) => JSON.stringify(v)).join(", ")}]` : items.join(",");
  }
  return String(value);
}

/** The usual fix: `set <target> to …`, where target is a key or a variable name. */
export function fixText(spec: AnyKeySpec, target: string, syntax: Syntax): string {
  switch (spec.kind) {
    case "boolean":
      return `set ${target} to true or false`;
    case "port":
      return `set ${target} to a port number such as ${exampleText(spec, syntax)}`;
    case "integer":
      return `set ${target} to ${expectedText(spec)} such as ${exampleText(spec, syntax)}`;
    case "enum":
      return `set ${target} to one of: ${spec.values.join(", ")}`;
    case "string":
      return spec.format === "domain"
        ? `set ${target} to the domain in your users' addresses, such as chat.example.org`
        : `set ${target} to a non-empty string such as ${exampleText(spec, syntax)}`;
    case "path":
      return `set ${target} to a path such as ${exampleText(spec, syntax)}`;
    case "list":
      return spec.item === "ip"
        ? `set ${target} to IP addresses such as ${exampleText(spec, syntax)} (or disable the listener)`
        : `set ${target} to bare JIDs such as ${exampleText(spec, syntax)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Derived: validation.

/** Where relative paths are resolved from and what ~ means. */
export interface CheckContext {
  baseDir: string;
  home: string;
}

export type Checked =
  | { ok: true; value: unknown }
  | {
      ok: false;
      /** The error text: "expected …, got …". */
      expected: string;
      /** A fix more specific than fixText, given the target (key or variable). */
      fix?: (target: string) => string;
      /** For lists: which item was wrong. */
      index?: number;
    };

/** Reads a variable's or flag's text as the key's type; leaves unreadable text as a string for checkValue to reject. */
export function fromText(spec: AnyKeySpec, text: string): unknown {
  const t = text.trim();
  switch (spec.kind) {
    case "boolean": {
      const lower = t.toLowerCase();
      if (lower === "true" || lower === "1" || lower === "yes") return true;
      if (lower === "false" || lower === "0" || lower === "no") return false;
      return t;
    }
    case "port":
    case "integer":
      return /^[+-]?\d+$/.test(t) ? Number(t) : t;
    case "list":
      return t
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
    default:
      // An empty variable unsets an optional key (e.g. CHATCTL_TLS_CERT= overrides the file).
      return t === "" && isOptional(spec) ? undefined : t;
  }
}

/** Validates a raw value for the key and returns it normalised (absolute paths, lower-case domain, prepared JIDs). */
export function checkValue(spec: AnyKeySpec, raw: unknown, ctx: CheckContext): Checked {
  const fail = (extra?: Omit<Extract<Checked, { ok: false }>, "ok" | "expected">): Checked => ({
    ok: false,
    expected: `expected ${expectedText(spec)}, got ${describeValue(raw)}`,
    ...extra,
  });
  if (raw === undefined || raw === null) return isOptional(spec) ? { ok: true, value: undefined } : fail();
  switch (spec.kind) {
    case "boolean":
      return typeof raw === "boolean" ? { ok: true, value: raw } : fail();
    case "port":
      return Number.isInteger(raw) && (raw as number) >= 0 && (raw as number) <= 65535 ? { ok: true, value: raw } : fail();
    case "integer": {
      const n = raw as number;
      const inRange = Number.isInteger(raw) && n >= spec.min && (spec.max === undefined || n <= spec.max);
      return inRange ? { ok: true, value: raw } : fail();
    }
    case "enum": {
      if (typeof raw === "string" && spec.values.includes(raw)) return { ok: true, value: raw };
      const close = typeof raw === "string" ? nearest(raw, spec.values) : undefined;
      return close === undefined ? fail() : fail({ fix: (target) => `set ${target} to ${close}` });
    }
    case "string": {
      if (typeof raw !== "string" || raw.trim() === "") return fail();
      if (spec.format === "name") return { ok: true, value: raw.trim() };
      const domain = raw.trim().toLowerCase().replace(/\.$/, "");
      return isDomainName(domain) ? { ok: true, value: domain } : fail();
    }
    case "path": {
      if (typeof raw !== "string" || raw.trim() === "") return fail();
      const path = resolve(ctx.baseDir, expandHome(raw.trim(), ctx.home));
      if (!spec.readableFile) return { ok: true, value: path };
      const problem = unreadableFile(path);
      if (problem === undefined) return { ok: true, value: path };
      return {
        ok: false,
        expected: `expected ${expectedText(spec)}, but ${JSON.stringify(path)} ${problem}`,
        fix: (target) => `check that ${path} exists and is readable by the user chatctl runs as, or correct ${target}`,
      };
    }
    case "list":
      return checkList(spec, raw, fail);
  }
}

function checkList(
  spec: Extract<AnyKeySpec, { kind: "list" }>,
  raw: unknown,
  fail: (extra?: { index?: number }) => Checked,
): Checked {
  if (!Array.isArray(raw)) return fail();
  if (spec.item === "ip" && raw.length === 0) return fail();
  const out: string[] = [];
  for (const [index, item] of raw.entries()) {
    const bad = (): Checked => ({
      ok: false,
      expected: `expected ${expectedText(spec)}, got ${describeValue(item)} as item ${index + 1}`,
      index,
    });
    if (typeof item !== "string") return bad();
    const text = item.trim();
    if (spec.item === "ip") {
      if (isIP(text) === 0) return bad();
      out.push(text);
    } else {
      const jid = Jid.tryParse(text);
      if (jid === undefined || jid.local === "" || jid.resource !== "") return bad();
      out.push(jid.toString());
    }
  }
  return { ok: true, value: out };
}

/** A hostname (letters of any script, digits, hyphens; RFC 1035 lengths) or an IPv4 address. */
function isDomainName(domain: string): boolean {
  if (isIPv4(domain)) return true;
  if (domain.length === 0 || domain.length > 253) return false;
  return domain.split(".").every((label) => label.length <= 63 && /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u.test(label));
}

function expandHome(path: string, home: string): string {
  return path === "~" ? home : path.startsWith("~/") ? join(home, path.slice(2)) : path;
}

/** Why the path cannot be read as a file, or undefined when it can. */
function unreadableFile(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return "is not a regular file";
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return "does not exist";
    if (code === "EACCES" || code === "EPERM") return "is not readable by this user";
    return `cannot be read (${code ?? (err as Error).message})`;
  }
}

/** A value as an error message quotes it. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return "nothing";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}
