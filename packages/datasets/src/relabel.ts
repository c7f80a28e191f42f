/**
 * The ResLT class relabelling (docs/methods.md §9.3): new label = rank of the class when sorted by
 * training count, ascending (0 = rarest) or descending (0 = most frequent). Ties keep the original
 * class order (a stable sort), so the map is the same on every machine. Returns map[old] = new,
 * to pass to `source.relabel(map)` for the train and the test set alike.
 */
export function frequencyRelabelMap(
  classCounts: ArrayLike<number>,
  order: 'ascending' | 'descending' = 'ascending',
): Int32Array {
  const classes = Array.from({ length: classCounts.length }, (_, c) => c);
  const sign = order === 'ascending' ? 1 : -1;
  // Array.prototype.sort is stable (ES2019); the id tie-break makes that explicit.
  classes.sort((a, b) => sign * ((classCounts[a] as number) - (classCounts[b] as number)) || a - b);
  const map = new Int32Array(classCounts.length);
  classes.forEach((oldLabel, rank) => {
    map[oldLabel] = rank;
  });
  return map;
}
