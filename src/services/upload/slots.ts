// Handing out upload slots (XEP-0363 §4) without XML: checks the size against the limit and the
// owner's quota (stored files + live reservations + uploads in progress), records the slot, and
// returns what the module turns into <slot/> or an error.
import { hashSecret, newFileId, newUploadSecret } from "./ids.js";
import { isComplete, type UploadRecord, type UploadRecords } from "./records.js";
import { normalizeMediaType, sanitizeFilename } from "./content.js";

export interface SlotLimits {
  maxFileBytes: number;
  /** 0 = no quota. */
  quotaBytes: number;
  slotTimeoutSeconds: number;
  /** 0 = files are kept forever (then a full quota frees up only when files are removed). */
  expireDays: number;
}

export interface SlotRequest {
  filename: string;
  size: number;
  contentType?: string;
}

export type SlotOutcome =
  | { ok: true; record: UploadRecord; secret: string }
  | { ok: false; reason: "file-too-large"; maxFileBytes: number }
  | { ok: false; reason: "quota"; usedBytes: number; quotaBytes: number; retryAt?: Date }
  | { ok: false; reason: "bad-request"; text: string };

const DAY_MS = 86_400_000;

export class SlotService {
  constructor(
    private readonly records: UploadRecords,
    private readonly limits: SlotLimits,
    /** File ids whose PUT is running now (counted against the quota whatever their deadline). */
    private readonly inProgress: ReadonlySet<string>,
  ) {}

  request(user: string, req: SlotRequest, now: Date = new Date()): SlotOutcome {
    if (!Number.isSafeInteger(req.size) || req.size < 1) return { ok: false, reason: "bad-request", text: "size must be a positive whole number of bytes" };
    let contentType: string | null = null;
    if (req.contentType !== undefined && req.contentType.trim() !== "") {
      const normalized = normalizeMediaType(req.contentType);
      if (normalized === undefined) return { ok: false, reason: "bad-request", text: `content-type is not a media type: ${JSON.stringify(req.contentType.slice(0, 80))}` };
      contentType = normalized;
    }
    if (req.size > this.limits.maxFileBytes) return { ok: false, reason: "file-too-large", maxFileBytes: this.limits.maxFileBytes };

    if (this.limits.quotaBytes > 0) {
      const held = this.holdings(user, now);
      const used = held.reduce((n, r) => n + r.size, 0);
      if (used + req.size > this.limits.quotaBytes) {
        const retryAt = this.retryAt(held, req.size, used, now);
        return { ok: false, reason: "quota", usedBytes: used, quotaBytes: this.limits.quotaBytes, ...(retryAt ? { retryAt } : {}) };
      }
    }

    const secret = newUploadSecret();
    const record: UploadRecord = {
      id: newFileId(),
      user,
      filename: sanitizeFilename(req.filename),
      size: req.size,
      contentType,
      secretHash: hashSecret(secret),
      createdAt: now.toISOString(),
      slotExpiresAt: new Date(now.getTime() + this.limits.slotTimeoutSeconds * 1000).toISOString(),
      completedAt: null,
      storedType: null,
    };
    this.records.put(record);
    return { ok: true, record, secret };
  }

  /** What counts against the user's quota now: stored files, live reservations, running uploads. */
  holdings(user: string, now: Date): UploadRecord[] {
    return this.records.forUser(user).filter((r) => isComplete(r) || this.inProgress.has(r.id) || Date.parse(r.slotExpiresAt) > now.getTime());
  }

  /**
   * When enough will have been freed for `size` more bytes: reservations lapse at their deadline,
   * stored files at their expiry. Undefined when that never happens by itself (files kept
   * forever, or the request alone exceeds the quota).
   */
  private retryAt(held: UploadRecord[], size: number, used: number, now: Date): Date | undefined {
    if (size > this.limits.quotaBytes) return undefined;
    const releases = held
      .filter((r) => !this.inProgress.has(r.id))
      .map((r) => ({ size: r.size, at: isComplete(r) ? (this.limits.expireDays > 0 ? Date.parse(r.completedAt) + this.limits.expireDays * DAY_MS : Infinity) : Date.parse(r.slotExpiresAt) }))
      .filter((r) => Number.isFinite(r.at))
      .sort((a, b) => a.at - b.at);
    let remaining = used;
    for (const r of releases) {
      remaining -= r.size;
      if (remaining + size <= this.limits.quotaBytes) return new Date(Math.max(r.at, now.getTime()));
    }
    return undefined;
  }
}
