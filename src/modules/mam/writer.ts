// Appends to the archive on the message path. A SQLite commit per message costs far more than
// the insert itself (DESIGN.md "Performance principles": per-message storage work is batched), so
// when the backend offers transactions the writer assigns each item its key at once (the stanza-id
// the recipient sees) and commits everything appended during one turn of the event loop together.
// Readers of the archive call flush() first, so a query always sees every message already routed.
// A batch is written user by user (a stable sort: each user's messages keep their order, which is
// their archive order): one user's messages of a batch then share table pages, so purging that
// user's oldest messages later rewrites a page per batch instead of a page per message.
import { newArchiveKey } from "../../storage/archive-key.js";
import type { Logger } from "../../log/logger.js";
import type { ArchiveAppend, ArchiveStore } from "../../storage/types.js";

export type Transaction = <T>(fn: () => T) => T;

export class ArchiveWriter {
  private pending: ArchiveAppend[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly store: ArchiveStore,
    /** The backend's transaction; without one every append commits on its own, at once. */
    private readonly transaction: Transaction | undefined,
    private readonly log: Logger,
  ) {}

  /** Archives one stanza for `user` and returns its archive id. */
  append(user: string, value: string, meta: { with: string; when?: Date }): string {
    const when = meta.when ?? new Date();
    if (this.transaction === undefined) return this.store.append(user, value, { when, with: meta.with });
    const key = newArchiveKey();
    this.pending.push({ user, value, key, when, with: meta.with });
    this.scheduled ??= setImmediate(() => this.flush());
    return key;
  }

  /** Commits what is pending: user by user, each user's items in append order (their archive order). */
  flush(): void {
    if (this.scheduled !== undefined) {
      clearImmediate(this.scheduled);
      this.scheduled = undefined;
    }
    if (this.pending.length === 0 || this.transaction === undefined) return;
    const batch = this.pending.length > 1 ? this.pending.sort(byUser) : this.pending;
    this.pending = [];
    try {
      this.transaction(() => {
        if (this.store.appendMany !== undefined) this.store.appendMany(batch);
        else for (const p of batch) this.store.append(p.user, p.value, { key: p.key, when: p.when, with: p.with });
      });
    } catch (err) {
      this.log.error({ err, messages: batch.length }, "archiving failed; these messages are not in the archive");
    }
  }
}

function byUser(a: ArchiveAppend, b: ArchiveAppend): number {
  return a.user < b.user ? -1 : a.user > b.user ? 1 : 0;
}
