// Messages between the orchestrator (run.ts) and load-generator worker processes (worker.ts).
import type { Endpoint } from "./xmpp.js";

export interface LoginStartArgs {
  ep: Endpoint;
  users: string[];
  password: string;
  inFlight: number;
  timeoutMs: number;
  /** Send initial presence after binding (then close the stream). */
  presence: boolean;
}

export interface ConnectArgs {
  ep: Endpoint;
  tag: string;
  users: string[];
  password: string;
  concurrency: number;
  timeoutMs: number;
  presence: boolean;
  /** Global index of users[0], used for resources and MUC nicks. */
  firstIndex: number;
}

export interface ChatStartArgs {
  tag: string;
  /** window: each client keeps `window` messages in flight to its partner (saturation); rate: fixed offered rate. */
  mode: "window" | "rate";
  window: number;
  /** Messages per second offered by this worker (rate mode). */
  rate: number;
  /** Address the partner by bare JID (server picks the resource) or full JID. */
  to: "bare" | "full";
  bodyBytes: number;
}

export interface MucJoinArgs {
  tag: string;
  room: string;
  /** Which of the tag's clients join (indices into the worker's list). */
  from: number;
  to: number;
  concurrency: number;
  timeoutMs: number;
  /** The first joiner submits the default (instant) room configuration when the room is new. */
  configure: boolean;
}

export interface MucStartArgs {
  tag: string;
  room: string;
  mode: "window" | "rate";
  /** How many of this worker's clients send (the first ones). */
  senders: number;
  window: number;
  /** Messages per second offered by this worker's senders (rate mode). */
  rate: number;
  bodyBytes: number;
}

export interface AwaitTextArgs {
  tag: string;
  /** A message whose XML contains this text counts as received. */
  text: string;
  timeoutMs: number;
}

/** When the tag's clients got the awaited message (wall clock, milliseconds since the epoch). */
export interface AwaitTextResult {
  clients: number;
  received: number;
  /** 0 when nobody received it. */
  firstAt: number;
  lastAt: number;
}

export type Op =
  | { op: "login-start"; args: LoginStartArgs }
  | { op: "login-stop"; args: Record<string, never> }
  | { op: "connect"; args: ConnectArgs }
  | { op: "close"; args: { tag: string } }
  | { op: "chat-start"; args: ChatStartArgs }
  | { op: "chat-stop"; args: { tag: string; drainMs: number } }
  | { op: "muc-join"; args: MucJoinArgs }
  | { op: "muc-start"; args: MucStartArgs }
  | { op: "muc-stop-send"; args: { tag: string } }
  | { op: "muc-drain"; args: { tag: string; expectedPerClient: number; drainMs: number } }
  | { op: "await-text"; args: AwaitTextArgs }
  | { op: "stats-reset"; args: Record<string, never> }
  | { op: "stats"; args: Record<string, never> }
  | { op: "exit"; args: Record<string, never> };

export type Request = Op & { id: number };

export interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** Counters and latency samples since the last stats-reset. */
export interface WorkerStats {
  /** Completed operations (logins, messages received). */
  ok: number;
  failed: number;
  sent: number;
  received: number;
  /** Error text → count (a sample of failure reasons). */
  errors: Record<string, number>;
  latencies: number[];
  /** Generator CPU (user + system) and wall-clock time since the reset, milliseconds. */
  cpuMs: number;
  wallMs: number;
  /** Connections the server closed unexpectedly. */
  dropped: number;
}

export interface ConnectResult {
  ok: number;
  failed: number;
  errors: Record<string, number>;
  latencies: number[];
  wallMs: number;
  cpuMs: number;
}

export interface DrainResult {
  sent: number;
  received: number;
  /** Messages sent but never received (chat: per pair; MUC: summed over occupants). */
  lost: number;
  /** Messages received twice or out of order. */
  dupes: number;
  errors: Record<string, number>;
  /** Stanza errors returned by the server for messages. */
  errored: number;
}
