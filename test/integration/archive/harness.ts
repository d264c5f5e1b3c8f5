// A real chatctl server (test/integration/helpers/server.ts) with the offline/mam options a test
// needs, set through the configuration like a sysadmin would.
import type { MamOptions } from "../../../src/modules/mam/options.js";
import type { OfflineOptions } from "../../../src/modules/offline/options.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

export interface ArchiveTestOptions {
  flags?: Record<string, unknown>;
  offline?: Partial<OfflineOptions>;
  mam?: Partial<MamOptions>;
}

export function startArchiveTestServer(opts: ArchiveTestOptions = {}): Promise<TestServer> {
  const flags: Record<string, unknown> = { ...opts.flags };
  for (const [k, v] of Object.entries(opts.offline ?? {})) flags[`offline.${k}`] = v;
  for (const [k, v] of Object.entries(opts.mam ?? {})) flags[`mam.${k}`] = v;
  return startTestServer(flags);
}
