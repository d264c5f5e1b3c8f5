// The limits of one transfer, applied to the bytes as they pass: a size cap and a rate cap shared
// by both directions. A Transform in the relay pipeline, so a rate cap delays the callback and
// backpressure does the rest (the sender's socket stops being read); nothing is buffered beyond
// the streams' own high-water marks.
import { Transform, type TransformCallback } from "node:stream";

export class TransferLimitError extends Error {
  override readonly name = "TransferLimitError";
  readonly code = "CHATCTL_E_PROXY_TRANSFER_TOO_LARGE";
}

/** What one transfer has used so far; shared by the meters of its two directions. */
export class TransferBudget {
  bytes = 0;
  readonly startedAt = Date.now();
  constructor(
    /** 0 = no cap. */
    readonly maxBytes: number,
    /** 0 = no cap. */
    readonly bytesPerSecond: number,
  ) {}
}

export class Meter extends Transform {
  /** Bytes this direction has passed on. */
  passed = 0;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly budget: TransferBudget) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const budget = this.budget;
    budget.bytes += chunk.length;
    if (budget.maxBytes > 0 && budget.bytes > budget.maxBytes) {
      callback(new TransferLimitError(`transfer exceeds ${budget.maxBytes} bytes`));
      return;
    }
    this.passed += chunk.length;
    if (budget.bytesPerSecond > 0) {
      // When the bytes so far should not have been sent before `due`, hold this chunk until then.
      const due = budget.startedAt + (budget.bytes / budget.bytesPerSecond) * 1000;
      const wait = due - Date.now();
      if (wait >= 1) {
        this.pending = setTimeout(() => {
          this.pending = undefined;
          if (!this.destroyed) callback(null, chunk);
        }, wait);
        return;
      }
    }
    callback(null, chunk);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.pending) clearTimeout(this.pending);
    callback(error);
  }
}
