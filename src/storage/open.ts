// Opens the storage backend the configuration names. The one place that turns a storage that
// cannot be opened into a ChatctlError with exit code 3 (DESIGN.md "CLI conventions"), naming
// the file and what to do about it.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Config } from "../config/types.js";
import { ChatctlError, ExitCode } from "../errors.js";
import { openMemoryStorage, type MemoryStorage } from "./memory/storage.js";
import { SchemaOutdatedError, SchemaTooNewError } from "./sqlite/migrations.js";
import { openSqliteStorage, type SqliteStorage } from "./sqlite/storage.js";
import { StoreError } from "./types.js";

export const DEFAULT_DATABASE_FILE = "chatctl.sqlite";

/** Narrow on `kind` to reach a backend's extras (e.g. SqliteStorage.sizeBytes for `mam stats`). */
export type OpenedStorage = SqliteStorage | MemoryStorage;

export interface OpenStorageOptions {
  /** For commands that only read: no migration, no directory creation, nothing written. */
  readonly?: boolean;
}

/** What opening storage reads from the configuration. */
export type StorageConfig = Pick<Config, "dataDir" | "storage">;

/** The SQLite file the configuration uses: storage.path, else <dataDir>/chatctl.sqlite. */
export function storagePath(config: StorageConfig): string {
  return resolve(config.dataDir, config.storage.path ?? DEFAULT_DATABASE_FILE);
}

/**
 * Opens config.storage. For SQLite, creates the database's directory (mode 0700: it holds
 * credentials and message archives) when missing. Throws ChatctlError (exit code 3) when the
 * storage cannot be opened.
 */
export function openStorage(config: StorageConfig, options: OpenStorageOptions = {}): OpenedStorage {
  if (config.storage.backend === "memory") return openMemoryStorage();
  const path = storagePath(config);
  const readonly = options.readonly === true;
  if (!readonly) createDirectory(dirname(path), path);
  try {
    return openSqliteStorage(path, { readonly });
  } catch (err) {
    throw openFailure(err, path);
  }
}

function createDirectory(dir: string, path: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new ChatctlError(
      "CHATCTL_E_STORAGE_OPEN",
      `cannot create the directory of the database ${path}: ${(err as Error).message}`,
      ExitCode.UNREACHABLE,
      "Check dataDir (or storage.path) in the configuration, and that this user may create that directory.",
    );
  }
}

function openFailure(err: unknown, path: string): unknown {
  if (err instanceof SchemaTooNewError) {
    return new ChatctlError(
      "CHATCTL_E_STORAGE_VERSION",
      err.message,
      ExitCode.UNREACHABLE,
      "A newer chatctl has upgraded this database: run that version, or restore a backup made before the upgrade.",
    );
  }
  if (err instanceof SchemaOutdatedError) {
    return new ChatctlError(
      "CHATCTL_E_STORAGE_VERSION",
      err.message,
      ExitCode.UNREACHABLE,
      "Run `chatctl serve` (or any command that writes) once with this version to upgrade the database.",
    );
  }
  if (!(err instanceof StoreError)) return err;
  if (err.code === "corrupt") {
    return new ChatctlError(
      "CHATCTL_E_STORAGE_CORRUPT",
      err.message,
      ExitCode.UNREACHABLE,
      "Check that storage.path names the chatctl database; if it is damaged, restore it from a backup.",
    );
  }
  const reason = err.cause instanceof Error ? err.cause.message : err.message;
  return new ChatctlError(
    "CHATCTL_E_STORAGE_OPEN",
    `cannot open the database ${path}: ${reason}`,
    ExitCode.UNREACHABLE,
    "Check that the file and its directory exist and that this user may read and write both (storage.path, dataDir).",
  );
}
