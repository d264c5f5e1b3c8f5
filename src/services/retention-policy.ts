// The archive retention policy in effect: an override stored in the database (set with
// `chatctl mam retention --days N`, so a running server follows it at its next daily run without
// a restart) wins over mam.retentionDays from the configuration.
//
// The override is one keyval value: host = the served domain, store "mam-policy", user "" (the
// host itself, not an account).
import type { Json, KeyValueStore } from "../storage/types.js";
import type { RetentionStorage } from "./archive-retention.js";

export const POLICY_STORE = "mam-policy";
/** The keyval "user" the host-wide policy is stored under. */
export const POLICY_USER = "";

/** What is stored; JSON in the keyval store. */
export interface RetentionOverride {
  /** Days messages are kept; 0 = forever. */
  retentionDays: number;
  /** When it was set (ISO 8601). */
  setAt: string;
}

/** A backend that may hold keyval stores (feature-detected: a module context's stores may not). */
export interface PolicyStorage {
  keyval?<V extends Json = Json>(host: string, store: string): KeyValueStore<V>;
}

/** Any storage: a RetentionStorage without keyval stores simply has no override. */
export type AnyRetentionStorage = RetentionStorage | PolicyStorage;

/** Either the whole configuration or its `mam` section (MamOptions). */
export type RetentionConfig = { mam: { retentionDays: number } } | { retentionDays: number };

export type RetentionSource = "database" | "config";

export interface EffectiveRetention {
  retentionDays: number;
  source: RetentionSource;
  /** mam.retentionDays from the configuration. */
  configRetentionDays: number;
  override?: RetentionOverride;
}

function configDays(config: RetentionConfig): number {
  return "mam" in config ? config.mam.retentionDays : config.retentionDays;
}

function isValidDays(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 0;
}

/** The stored override, or undefined (none, unreadable shape, or a backend without keyval stores). */
export function readRetentionOverride(storage: AnyRetentionStorage, host: string): RetentionOverride | undefined {
  const { keyval } = storage as PolicyStorage;
  if (typeof keyval !== "function") return undefined;
  const value = keyval.call(storage, host, POLICY_STORE).get(POLICY_USER);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const days = (value as Record<string, Json>).retentionDays;
  if (!isValidDays(days)) return undefined;
  const setAt = (value as Record<string, Json>).setAt;
  return { retentionDays: days, setAt: typeof setAt === "string" ? setAt : "" };
}

/** Stores the override (`undefined` removes it, so the configuration applies again). */
export function writeRetentionOverride(
  storage: Required<PolicyStorage>,
  host: string,
  retentionDays: number | undefined,
  now: Date = new Date(),
): RetentionOverride | undefined {
  const store = storage.keyval(host, POLICY_STORE);
  if (retentionDays === undefined) {
    store.set(POLICY_USER, undefined);
    return undefined;
  }
  if (!isValidDays(retentionDays)) throw new RangeError(`retentionDays must be a non-negative integer, got ${retentionDays}`);
  const override: RetentionOverride = { retentionDays, setAt: now.toISOString() };
  store.set(POLICY_USER, { ...override });
  return override;
}

/** The policy in effect and where it comes from. */
export function effectiveRetention(storage: AnyRetentionStorage, host: string, config: RetentionConfig): EffectiveRetention {
  const fromConfig = configDays(config);
  const override = readRetentionOverride(storage, host);
  if (override === undefined) return { retentionDays: fromConfig, source: "config", configRetentionDays: fromConfig };
  return { retentionDays: override.retentionDays, source: "database", configRetentionDays: fromConfig, override };
}

/** Days to keep (0 = forever): the stored override ?? the configuration. Read at each daily run. */
export function effectiveRetentionDays(storage: AnyRetentionStorage, host: string, config: RetentionConfig): number {
  return effectiveRetention(storage, host, config).retentionDays;
}
