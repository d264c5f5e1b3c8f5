// The upload records: one per slot handed out, kept in a map store of the upload component's
// host (user = the owner's localpart, key = the file id), so slots and files survive a restart
// and `chatctl upload purge|stats` read the same records from the database. A record is a
// reservation until its PUT completes; then it describes a stored file.
import type { Config } from "../../config/types.js";
import type { Json, MapStore } from "../../storage/types.js";

export const UPLOAD_LABEL = "upload";
export const UPLOAD_RECORD_STORE = "files";

/** The component's domain: the host its stores are kept under. */
export function uploadHost(config: Pick<Config, "domain">): string {
  return `${UPLOAD_LABEL}.${config.domain}`;
}

export interface UploadRecord {
  id: string;
  /** The owner's localpart (uploads are for accounts of this domain only). */
  user: string;
  /** Sanitised client file name (metadata for Content-Disposition; never a path). */
  filename: string;
  size: number;
  /** From the slot request (lower-cased), or null: then the PUT's type is kept. */
  contentType: string | null;
  secretHash: string;
  /** ISO 8601: when the slot was given. */
  createdAt: string;
  /** ISO 8601: the PUT must start before this. */
  slotExpiresAt: string;
  /** ISO 8601 once the file is stored; null while a reservation. */
  completedAt: string | null;
  /** The type the file is served with (set at completion). */
  storedType: string | null;
}

type StoredRecord = UploadRecord & { [key: string]: Json };

export type RecordMap = MapStore<Json>;

/** Typed access to the records, with an id → owner index for URL lookups. */
export class UploadRecords {
  readonly #map: RecordMap;
  readonly #owner = new Map<string, string>();
  #indexed = false;

  constructor(map: RecordMap) {
    this.#map = map;
  }

  /** Every record, user by user (a full scan: maintenance and statistics only). */
  *all(): Generator<UploadRecord> {
    for (const user of this.#map.users()) {
      for (const value of this.#map.getAll(user).values()) {
        const record = parseRecord(value);
        if (record) yield record;
      }
    }
  }

  forUser(user: string): UploadRecord[] {
    const out: UploadRecord[] = [];
    for (const value of this.#map.getAll(user).values()) {
      const record = parseRecord(value);
      if (record) out.push(record);
    }
    return out;
  }

  get(id: string): UploadRecord | undefined {
    this.#buildIndex();
    const user = this.#owner.get(id);
    if (user === undefined) return undefined;
    const record = parseRecord(this.#map.get(user, id));
    // Removed by another process (chatctl upload purge): forget it here too.
    if (!record) this.#owner.delete(id);
    return record;
  }

  put(record: UploadRecord): void {
    this.#map.set(record.user, record.id, { ...record } as StoredRecord);
    if (this.#indexed) this.#owner.set(record.id, record.user);
  }

  remove(record: Pick<UploadRecord, "id" | "user">): void {
    this.#map.set(record.user, record.id, undefined);
    this.#owner.delete(record.id);
  }

  #buildIndex(): void {
    if (this.#indexed) return;
    for (const record of this.all()) this.#owner.set(record.id, record.user);
    this.#indexed = true;
  }
}

/** A stored value as a record; undefined for anything malformed (never trusted blindly). */
function parseRecord(value: Json | undefined): UploadRecord | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const v = value as Record<string, Json>;
  const str = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : undefined);
  const id = str("id");
  const user = str("user");
  const filename = str("filename");
  const secretHash = str("secretHash");
  const createdAt = str("createdAt");
  const slotExpiresAt = str("slotExpiresAt");
  const size = v.size;
  if (id === undefined || user === undefined || filename === undefined || secretHash === undefined) return undefined;
  if (createdAt === undefined || slotExpiresAt === undefined || typeof size !== "number" || !Number.isSafeInteger(size)) return undefined;
  return {
    id,
    user,
    filename,
    size,
    contentType: str("contentType") ?? null,
    secretHash,
    createdAt,
    slotExpiresAt,
    completedAt: str("completedAt") ?? null,
    storedType: str("storedType") ?? null,
  };
}

export function isComplete(record: UploadRecord): record is UploadRecord & { completedAt: string } {
  return record.completedAt !== null;
}
