// The offline module's settings: the `offline` section of the configuration, with per-instance
// overrides for tests (createOfflineModule).
import type { Config } from "../../config/types.js";

export type OfflineOptions = Config["offline"];

export const OFFLINE_DEFAULTS: Readonly<OfflineOptions> = Object.freeze({ maxMessages: 1000 });

export function offlineOptions(config: Config | undefined, overrides: Partial<OfflineOptions> = {}): OfflineOptions {
  return { ...OFFLINE_DEFAULTS, ...config?.offline, ...overrides };
}
