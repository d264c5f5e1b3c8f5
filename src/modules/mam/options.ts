// The archive module's settings: the `mam` section of the configuration, with per-instance
// overrides for tests (createMamModule).
import type { Config } from "../../config/types.js";

export type MamOptions = Config["mam"];
export type DefaultPolicy = MamOptions["defaultPolicy"];

export const MAM_DEFAULTS: Readonly<MamOptions> = Object.freeze({
  defaultPolicy: "always",
  defaultPageSize: 20,
  maxPageSize: 100,
  retentionDays: 0,
  maxStorageBytes: 0,
});

export function mamOptions(config: Config | undefined, overrides: Partial<MamOptions> = {}): MamOptions {
  const options: MamOptions = { ...MAM_DEFAULTS, ...config?.mam, ...overrides };
  // A default page larger than the largest page would be clamped on every query anyway.
  options.defaultPageSize = Math.min(options.defaultPageSize, options.maxPageSize);
  return options;
}
