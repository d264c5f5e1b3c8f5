// storage.disk-space: the file system holding the data directory has room: SQLite fails every
// write (messages, logins' counters) once it is full. Fail under 100 MiB or 1% free, warn under
// 1 GiB or 5%; inodes likewise.
import { existsSync } from "node:fs";
import { statfs } from "node:fs/promises";
import { dirname } from "node:path";
import { configOf, type SystemContext } from "../system/context.js";
import { formatBytes, GiB, MiB } from "../system/units.js";
import { fail, ok, warn, type Check } from "../types.js";

export const DISK_FAIL_BYTES = 100 * MiB;
export const DISK_WARN_BYTES = GiB;
const FAIL_RATIO = 0.01;
const WARN_RATIO = 0.05;

export const diskSpaceCheck: Check<SystemContext> = {
  id: "storage.disk-space",
  title: "Disk space in the data directory",
  async run(ctx) {
    const { dataDir } = configOf(ctx);
    const dir = nearestExisting(dataDir);
    const fs = await statfs(dir);
    const free = fs.bavail * fs.bsize;
    const total = fs.blocks * fs.bsize;
    const ratio = total > 0 ? free / total : 1;
    const inodeRatio = fs.files > 0 ? fs.ffree / fs.files : 1;
    const where = dir === dataDir ? dataDir : `${dir} (${dataDir} does not exist yet)`;
    const detail = `${formatBytes(free)} free of ${formatBytes(total)} (${(ratio * 100).toFixed(1)}%) on ${where}`;
    const hint = { hint: "free space (old logs, chatctl mam purge) or move dataDir to a larger file system" };
    if (free < DISK_FAIL_BYTES || ratio < FAIL_RATIO) return fail(detail, hint);
    if (inodeRatio < FAIL_RATIO) return fail(`${detail}, but only ${fs.ffree} inodes left`, hint);
    if (free < DISK_WARN_BYTES || ratio < WARN_RATIO || inodeRatio < WARN_RATIO) return warn(detail, hint);
    return ok(detail);
  },
};

function nearestExisting(path: string): string {
  let dir = path;
  for (let i = 0; i < 64 && !existsSync(dir); i++) dir = dirname(dir);
  return dir;
}
