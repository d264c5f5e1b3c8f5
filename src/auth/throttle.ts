// Slows password guessing: counts failed authentications per remote address and per account over
// a sliding window, and says when either has had too many. Memory stays bounded whatever an
// attacker sends: old failures are pruned and each map has a size cap.
//
// Successes clear the account's count, not the address's: otherwise an attacker holding one
// valid account could log into it between guesses at others and never be blocked.

export interface FailureThrottleOptions {
  /** Failures from one address within the window before it is blocked. */
  maxPerAddress: number;
  /** Failures against one account within the window before it is blocked. */
  maxPerAccount: number;
  windowMs: number;
  /** Clock, injectable for tests. Default Date.now. */
  now?: () => number;
  /** Most addresses (and, separately, accounts) tracked at once. Default 10 000. */
  maxEntries?: number;
}

const DEFAULT_MAX_ENTRIES = 10_000;

/** Failure times for one key, oldest first; never more than the limit that blocks. */
class FailureLog {
  private readonly entries = new Map<string, number[]>();
  private lastFullPrune: number;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxEntries: number,
    now: number,
  ) {
    this.lastFullPrune = now;
  }

  count(key: string, now: number): number {
    const times = this.entries.get(key);
    if (times === undefined) return 0;
    const live = dropExpired(times, now - this.windowMs);
    if (live.length === 0) this.entries.delete(key);
    else if (live !== times) this.entries.set(key, live);
    return live.length;
  }

  record(key: string, now: number): void {
    const times = dropExpired(this.entries.get(key) ?? [], now - this.windowMs);
    times.push(now);
    // Only the newest `limit` failures can ever matter to isBlocked.
    if (times.length > this.limit) times.splice(0, times.length - this.limit);
    // Re-insert so Map order is least recently failed first: eviction drops the stalest key.
    this.entries.delete(key);
    this.entries.set(key, times);
    this.prune(now);
  }

  clear(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private prune(now: number): void {
    // Once per window, drop every key whose failures have all expired.
    if (now - this.lastFullPrune >= this.windowMs) {
      this.lastFullPrune = now;
      for (const key of [...this.entries.keys()]) this.count(key, now);
    }
    // Over the cap: forget the keys that failed least recently (the first to expire anyway).
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}

function dropExpired(times: number[], cutoff: number): number[] {
  let first = 0;
  while (first < times.length && (times[first] ?? 0) <= cutoff) first++;
  return first === 0 ? times : times.slice(first);
}

/** "::ffff:192.0.2.1" and "192.0.2.1" are the same IPv4 client (dual-stack sockets). */
function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address.toLowerCase();
}

export class FailureThrottle {
  private readonly now: () => number;
  private readonly byAddress: FailureLog;
  private readonly byAccount: FailureLog;

  constructor(private readonly options: FailureThrottleOptions) {
    for (const key of ["maxPerAddress", "maxPerAccount"] as const) {
      const value = options[key];
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`FailureThrottle ${key} must be a positive integer, got ${value}`);
    }
    if (!Number.isFinite(options.windowMs) || options.windowMs <= 0) throw new RangeError(`FailureThrottle windowMs must be a positive number, got ${options.windowMs}`);
    this.now = options.now ?? Date.now;
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    const start = this.now();
    this.byAddress = new FailureLog(options.maxPerAddress, options.windowMs, maxEntries, start);
    this.byAccount = new FailureLog(options.maxPerAccount, options.windowMs, maxEntries, start);
  }

  /** True when the address, or the account when given, has reached its failure limit. */
  isBlocked(address: string, account?: string): boolean {
    const now = this.now();
    if (this.byAddress.count(addressKey(address), now) >= this.options.maxPerAddress) return true;
    return account !== undefined && this.byAccount.count(account, now) >= this.options.maxPerAccount;
  }

  recordFailure(address: string, account?: string): void {
    const now = this.now();
    this.byAddress.record(addressKey(address), now);
    if (account !== undefined) this.byAccount.record(account, now);
  }

  /** The account's owner got in: forget the failures against it. The address keeps its count
   *  (see the note at the top of this file). */
  recordSuccess(address: string, account: string): void {
    this.byAccount.clear(account);
  }

  /** Tracked keys, for tests and metrics. */
  get size(): { addresses: number; accounts: number } {
    return { addresses: this.byAddress.size, accounts: this.byAccount.size };
  }
}
