// What the `upload` commands share: the memory-backend refusal and opening the upload records and
// directory of the configured domain straight from storage (safe while the server runs).
import type { Config } from "../../../config/types.js";
import { UsageError } from "../../../errors.js";
import { UploadLayout } from "../../../services/upload/layout.js";
import { UPLOAD_RECORD_STORE, UploadRecords, uploadHost } from "../../../services/upload/records.js";
import type { OpenedStorage } from "../../../storage/open.js";

/** `chatctl upload purge` has a lock of its own, so it never waits for (or blocks) `mam purge`. */
export const UPLOAD_LOCK_FILE = "upload-purge.lock";

export function requirePersistentUploads(config: Config, command: string): void {
  if (config.storage.backend === "memory") {
    throw new UsageError(
      `chatctl upload ${command} works on the server's database, but storage.backend is "memory" (nothing is kept between runs)`,
      'set storage.backend to "sqlite" in the configuration',
    );
  }
}

export function uploadsOf(storage: OpenedStorage, config: Config): { records: UploadRecords; layout: UploadLayout } {
  return { records: new UploadRecords(storage.map(uploadHost(config), UPLOAD_RECORD_STORE)), layout: UploadLayout.of(config) };
}
