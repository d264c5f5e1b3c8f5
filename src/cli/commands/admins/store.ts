// Opens the account provider with its persistent group store (where the admin group lives),
// directly on storage like `chatctl user` (safe while the server runs: SQLite WAL).
import type { AccountRecord, InternalAuthProvider } from "../../../auth/internal.js";
import type { Config } from "../../../config/types.js";

export async function withGroups<T>(config: Config, fn: (auth: InternalAuthProvider) => T | Promise<T>, opts: { readonly?: boolean } = {}): Promise<T> {
  // Loaded lazily so that --help and the man-page build never load the native SQLite addon.
  const [{ openStorage }, { InternalAuthProvider }] = await Promise.all([import("../../../storage/open.js"), import("../../../auth/internal.js")]);
  const backend = openStorage(config, { readonly: opts.readonly === true });
  try {
    const auth = new InternalAuthProvider(backend.keyval<AccountRecord>(config.domain, "accounts"), {
      iterations: config.auth.scramIterations,
      // The same store the server reads (server/index.ts), so a change is seen at the next admin action.
      groups: backend.map<true>(config.domain, "groups"),
    });
    return await fn(auth);
  } finally {
    backend.close();
  }
}
