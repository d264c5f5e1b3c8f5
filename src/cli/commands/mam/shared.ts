// What the `mam` commands share: day-count arguments, opening the storage directly (safe while the
// server runs: SQLite in WAL mode), and the purge lock file.
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { InvalidArgumentError } from "commander";
import type { Config } from "../../../config/types.js";
import { ChatctlError, ExitCode, UsageError } from "../../../errors.js";
import type { OpenedStorage } from "../../../storage/open.js";

/** A whole number of days, `min` or more (commander reports the error as a usage error, exit 2). */
export function dayParser(min: 0 | 1): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number of days (${min} or more), got "${value}".`);
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of days (${min} or more), got "${value}".`);
    return n;
  };
}

/** A positive count (e.g. --top). */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`expected a whole number (1 or more), got "${value}".`);
  }
  return Number(value);
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The memory backend keeps nothing between processes: there is nothing for the CLI to work on. */
export function requirePersistentStorage(config: Config, command: string): void {
  if (config.storage.backend === "memory") {
    throw new UsageError(
      `chatctl mam ${command} works on the server's database, but storage.backend is "memory" (nothing is kept between runs)`,
      'set storage.backend to "sqlite" in the configuration',
    );
  }
}

/** The SQLite file path, or undefined for other backends. */
export async function databasePath(config: Config): Promise<string | undefined> {
  if (config.storage.backend !== "sqlite") return undefined;
  const { storagePath } = await import("../../../storage/open.js");
  return storagePath(config);
}

/** Opens storage, runs fn, always closes. Loaded lazily so `--help` never loads the SQLite addon. */
export async function withStorage<T>(config: Config, fn: (storage: OpenedStorage) => Promise<T> | T, opts: { readonly?: boolean } = {}): Promise<T> {
  const { openStorage } = await import("../../../storage/open.js");
  const storage = openStorage(config, { readonly: opts.readonly === true });
  try {
    return await fn(storage);
  } finally {
    storage.close();
  }
}

/** Bytes of the database file and its write-ahead log on disk (what `df` sees). */
export function diskBytes(path: string): number {
  let total = 0;
  for (const file of [path, `${path}-wal`]) {
    try {
      total += statSync(file).size;
    } catch {
      // absent
    }
  }
  return total;
}

export function fileExists(path: string): boolean {
  return existsSync(path);
}

// ---------------------------------------------------------------------------------------------
// The purge lock: <dataDir>/mam-purge.lock, created with O_EXCL, holding the owner's PID.

export const LOCK_FILE = "mam-purge.lock";

export interface PurgeLock {
  readonly path: string;
  release(): void;
}

export function lockPath(config: Pick<Config, "dataDir">, file: string = LOCK_FILE): string {
  return join(config.dataDir, file);
}

/**
 * Takes the purge lock. A lock whose PID is alive → ChatctlError exit 1 ("another purge (pid N)
 * is running"). A lock whose PID is dead (a purge that was killed) is taken over. The takeover is
 * itself guarded by a second O_EXCL file, so two purges finding the same stale lock cannot both
 * win.
 */
export function acquirePurgeLock(config: Pick<Config, "dataDir">, pid: number = process.pid, file: string = LOCK_FILE): PurgeLock {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const path = lockPath(config, file);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(path, pid)) return ownedLock(path, pid);
    const holder = lockHolder(path);
    if (holder !== undefined && holder !== pid && isAlive(holder)) throw lockedError(holder, path);
    // Stale (dead PID, or unreadable content): take it over under the takeover guard.
    const guard = `${path}.takeover`;
    if (!createExclusive(guard, pid)) {
      const guardHolder = lockHolder(guard);
      if (guardHolder !== undefined && isAlive(guardHolder)) throw lockedError(guardHolder, path);
      removeIfHeldBy(guard, guardHolder);
      continue;
    }
    try {
      if (lockHolder(path) === holder) removeIfHeldBy(path, holder);
      if (createExclusive(path, pid)) return ownedLock(path, pid);
    } finally {
      removeIfHeldBy(guard, pid);
    }
  }
  const holder = lockHolder(path);
  throw lockedError(holder ?? 0, path);
}

function lockedError(pid: number, path: string): ChatctlError {
  return new ChatctlError(
    "CHATCTL_E_MAM_PURGE_LOCKED",
    `another purge (pid ${pid}) is running`,
    ExitCode.FAILED,
    `wait for it to finish; if no such purge runs, remove ${path}`,
  );
}

function ownedLock(path: string, pid: number): PurgeLock {
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      removeIfHeldBy(path, pid);
    },
  };
}

/**
 * Creates `path` holding "<pid>\n", atomically with its content: written to a private file first,
 * then hard-linked into place (link(2) fails with EEXIST like O_EXCL), so nobody ever reads a
 * lock file without its PID. False when the file exists.
 */
function createExclusive(path: string, pid: number): boolean {
  const tmp = `${path}.${pid}.tmp`;
  try {
    const fd = openSync(tmp, "w", 0o600);
    try {
      writeSync(fd, `${pid}\n`);
    } finally {
      closeSync(fd);
    }
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new ChatctlError(
      "CHATCTL_E_MAM_PURGE_LOCK",
      `cannot create the lock file ${path}: ${(err as Error).message}`,
      ExitCode.FAILED,
      "check that this user may write to the data directory (dataDir)",
    );
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
  }
}

/** The PID in a lock file; undefined when the file is gone or holds no PID. */
function lockHolder(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const m = /^\s*(\d+)/.exec(text);
  if (!m) return undefined;
  const pid = Number(m[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function removeIfHeldBy(path: string, pid: number | undefined): void {
  if (lockHolder(path) !== pid) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Signal 0 probes a process: ESRCH means it is gone; EPERM means it exists under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
