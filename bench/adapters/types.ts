// What the orchestrator needs from each server under test.
import type { Endpoint } from "../lib/xmpp.js";

export type ServerName = "chatctl" | "prosody" | "ejabberd";
export const SERVER_NAMES: readonly ServerName[] = ["chatctl", "prosody", "ejabberd"];

/** Shared by every adapter in one benchmark invocation. */
export interface BenchEnv {
  /** Scratch directory of this invocation (templates, per-start data dirs, logs). */
  workDir: string;
  /** The chatctl checkout (for bin/chatctl.js and dist/). */
  repoDir: string;
  domain: string;
  mucDomain: string;
  /** PEM certificate and key (EC P-256, SAN domain and *.domain) used by every server. */
  certFile: string;
  keyFile: string;
  /** Accounts <userPrefix>0 … <userPrefix><userCount-1>, all with `password`. */
  userPrefix: string;
  userCount: number;
  password: string;
  /** CPU list the servers are pinned to. */
  serverCpus: string;
  /** Niceness of servers and generator (negative: they win the CPU over unrelated work). */
  nice: number;
  /**
   * Message archiving (XEP-0313) on every server: chatctl mam.defaultPolicy always, Prosody mod_mam,
   * ejabberd mod_mam. Off by default, so that W3 compares routing only (peers do not archive by
   * default); `--archive` measures the servers with their archives written.
   */
  archive: boolean;
  /** Pass --cpu-prof to chatctl (profiles land in the start's directory). */
  cpuProfile: boolean;
  log: (line: string) => void;
}

export interface StartedServer {
  name: ServerName;
  ep: Endpoint;
  /** The process that was spawned (PID the server is stopped by). */
  rootPid: number;
  /** Milliseconds from spawn until the c2s port answered a stream header with <stream:features>. */
  startupMs: number;
  /** Server processes to measure (wrappers excluded). */
  pids(): number[];
  /** The server's own log file(s), for failure reports. */
  logFiles: string[];
  /** The directory of this start (config, data, logs, profiles). */
  dir: string;
  stop(): Promise<string>;
}

export interface Adapter {
  name: ServerName;
  /** Installs the software if missing (apt-get) and checks it runs; throws with a reason if not. */
  ensureInstalled(env: BenchEnv): Promise<void>;
  /** Version string for the report. */
  version(env: BenchEnv): string;
  /** One-time preparation: a template data directory holding every benchmark account. */
  prepare(env: BenchEnv): Promise<void>;
  /** Starts a fresh server from the template on free loopback ports; resolves once it accepts streams. */
  start(env: BenchEnv, label: string): Promise<StartedServer>;
  /** Whether the server offers groupchat (XEP-0045) on env.mucDomain. */
  hasMuc: boolean;
}
