/**
 * The known name nearest to a misspelt one (`grdi` -> `grid`, `optimiser` -> `optimizer`), or
 * undefined when none is near enough to be a likely typo. Distance is the optimal string
 * alignment distance (insertions, deletions, substitutions and swaps of neighbours), ignoring
 * case; a name may be off by about a third of its length, and never by more than 3 edits.
 * Ties go to the candidate listed first.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = editDistance(wanted, candidate.toLowerCase());
    const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(wanted.length, candidate.length) / 3)));
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean 'grid'?` when a known name is near, else the known names (at most 12). */
export function unknownNameHint(name: string, candidates: readonly string[]): string {
  const near = closestName(name, candidates);
  if (near !== undefined) return `; did you mean '${near}'?`;
  if (candidates.length === 0) return '';
  const shown = candidates.slice(0, 12).join(', ');
  return `; known: ${shown}${candidates.length > 12 ? ', ...' : ''}`;
}

function editDistance(a: string, b: string): number {
  // rows[i][j]: distance between the first i characters of a and the first j of b.
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, (rows[i - 2]?.[j - 2] as number) + 1);
      }
      row[j] = distance;
    }
  }
  return rows[a.length]?.[b.length] as number;
}
