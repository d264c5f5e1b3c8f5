// storage.health: the SQLite database opens read-only, passes PRAGMA quick_check, and has the
// schema this chatctl expects; its size is reported against the archive cap (mam.maxStorageBytes),
// warning from 80 % like the server does. Read-only, so it is safe while serving.
import { existsSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { SCHEMA_VERSION, schemaVersion } from "../../storage/sqlite/migrations.js";
import { storagePath } from "../../storage/open.js";
import { configOf, type SystemContext } from "../system/context.js";
import { fail, ok, skip, warn, type Check } from "../types.js";
import { formatBytes } from "../system/units.js";

/** quick_check reports at most this many problems: enough to see what kind of damage it is. */
const MAX_PROBLEMS = 5;

export const storageHealthCheck: Check<SystemContext> = {
  id: "storage.health",
  title: "Database healthy",
  async run(ctx) {
    const config = configOf(ctx);
    if (config.storage.backend === "memory") return skip("storage.backend is memory: nothing is kept on disk");
    const path = storagePath(config);
    if (!existsSync(path)) return warn(`no database at ${path} yet`, { hint: "chatctl serve (or chatctl user add) creates it; if one existed, check dataDir and storage.path" });
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      const problems = (db.pragma(`quick_check(${MAX_PROBLEMS})`) as Array<{ quick_check: string }>).map((r) => r.quick_check).filter((m) => m !== "ok");
      const version = schemaVersion(db);
      const bytes = statSync(path).size + walSize(path);
      const size = formatBytes(bytes);
      if (problems.length > 0) {
        return fail(`${path} is damaged: ${problems.join("; ")}`, {
          hint: "stop chatctl, keep a copy of the file, then restore the latest backup (or try: sqlite3 FILE '.recover' | sqlite3 NEW)",
        });
      }
      if (version > SCHEMA_VERSION) {
        return fail(`${path}: schema version ${version}, newer than this chatctl knows (${SCHEMA_VERSION})`, { hint: "a newer chatctl upgraded it: run that version" });
      }
      if (version < SCHEMA_VERSION) {
        return warn(`${path}: ${size}, quick_check ok, schema version ${version} of ${SCHEMA_VERSION}`, { hint: "chatctl serve upgrades it at the next start" });
      }
      const detail = `${path}: ${size}${capText(bytes, config.mam.maxStorageBytes)}, quick_check ok, schema version ${version}`;
      // The server trims the oldest archived messages above the cap and warns from 80 %.
      if (config.mam.maxStorageBytes > 0 && bytes >= 0.8 * config.mam.maxStorageBytes) {
        return warn(detail, { hint: "purge old messages (chatctl mam purge --older-than DAYS), set a retention (chatctl mam retention --days N) or raise mam.maxStorageBytes" });
      }
      return ok(detail);
    } catch (err) {
      const code = (err as { code?: string }).code ?? "";
      return fail(`cannot check ${path}: ${(err as Error).message}${code ? ` (${code})` : ""}`, {
        hint: /NOTADB|CORRUPT/.test(code)
          ? "the file is not a chatctl database or is damaged: check storage.path, or restore a backup"
          : "check that this user may read the file and its directory (run the doctor as chatctl's user)",
      });
    } finally {
      db?.close();
    }
  },
};

/** " of the 2.0 GiB cap (12 %)" when an archive size cap is set. */
function capText(bytes: number, cap: number): string {
  return cap > 0 ? ` of the ${formatBytes(cap)} archive cap (${Math.round((bytes / cap) * 100)} %)` : "";
}

/** Data not yet checkpointed into the main file also takes disk space. */
function walSize(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}
