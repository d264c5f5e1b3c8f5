// "Did you mean …" for misspelt keys: the closest candidate by edit distance, compared in a
// spelling-insensitive form so that data_dir, DATADIR and data-dir all find dataDir.

/** Lower case without separators: the form in which keys and variable names are compared. */
export function looseForm(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, "");
}

/** Levenshtein distance (insert, delete, substitute; each costs 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `name`, or undefined when none is close enough to be a plausible
 * typo (a third of the name's length, at least 2 edits, is the tolerance).
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  const target = looseForm(name);
  const tolerance = Math.max(2, Math.floor(target.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(target, looseForm(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= tolerance ? best : undefined;
}
