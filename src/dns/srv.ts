// SRV target selection (RFC 2782 "Usage rules"): lowest priority first; within one priority a
// weighted random pick, repeated over the records not yet picked. `orderSrv` is what a
// connecting client (s2s) does; `selectionPlan` explains that order to a human (doctor).
import type { SrvRecord } from "./resolver.js";

/** RFC 2782: a single record with target "." means the service is decidedly not available. */
export function isDisabledService(records: readonly SrvRecord[]): boolean {
  return records.length === 1 && records[0]!.target === ".";
}

/**
 * The order in which to try the targets. `random(n)` returns an integer in [0, n] (inclusive,
 * as RFC 2782 asks); tests pass a deterministic one.
 */
export function orderSrv(records: readonly SrvRecord[], random: (max: number) => number = (max) => Math.floor(Math.random() * (max + 1))): SrvRecord[] {
  const ordered: SrvRecord[] = [];
  for (const group of byPriority(records)) {
    // "all those with weight 0 are placed at the beginning of the list"
    const remaining = [...group.filter((r) => r.weight === 0), ...group.filter((r) => r.weight > 0)];
    while (remaining.length > 0) {
      const sum = remaining.reduce((s, r) => s + r.weight, 0);
      const pick = random(sum);
      let running = 0;
      let index = remaining.findIndex((r) => (running += r.weight) >= pick);
      if (index < 0) index = remaining.length - 1;
      ordered.push(remaining.splice(index, 1)[0]!);
    }
  }
  return ordered;
}

export interface PriorityGroup {
  priority: number;
  /** The records of this priority, heaviest first, each with its chance of being tried first within the group. */
  records: Array<SrvRecord & { share: number }>;
}

/**
 * Priority groups in the order clients use them, with each record's chance of being picked first
 * in its group under the RFC 2782 algorithm (random integer in [0, sum of weights]).
 */
export function selectionPlan(records: readonly SrvRecord[]): PriorityGroup[] {
  return byPriority(records).map((group) => {
    const sum = group.reduce((s, r) => s + r.weight, 0);
    const zeros = group.filter((r) => r.weight === 0).length;
    const weighted = group.length - zeros;
    // The draw is uniform over the sum + 1 integers 0..sum. A record of weight w owns w of them;
    // the draw 0 goes to the first weight-0 record, or (with none) to whichever record is listed
    // first — "any order", so it is spread evenly here. The shares add up to 1.
    const share = (r: SrvRecord) => {
      if (sum === 0) return 1 / group.length;
      if (r.weight === 0) return 1 / (sum + 1) / zeros;
      return r.weight / (sum + 1) + (zeros === 0 ? 1 / (sum + 1) / weighted : 0);
    };
    const withShare = group.map((r) => ({ ...r, share: share(r) })).sort((a, b) => b.weight - a.weight);
    return { priority: group[0]!.priority, records: withShare };
  });
}

function byPriority(records: readonly SrvRecord[]): SrvRecord[][] {
  const groups = new Map<number, SrvRecord[]>();
  for (const r of records) groups.set(r.priority, [...(groups.get(r.priority) ?? []), r]);
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, g]) => g);
}
