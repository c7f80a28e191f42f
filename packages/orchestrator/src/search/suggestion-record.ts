/**
 * How a searched run was suggested: by which algorithm, as which suggestion of its sweep, and
 * on how many results. The store has no column for it yet, so it is kept in the run's existing
 * fields: `ordinal` is the suggestion index, `fingerprint` is `tpe:<index>` (the store's unique
 * (sweep, fingerprint) index then admits one run per suggestion) and the label starts with
 * `tpe #<index> (<n> results)` or `tpe-startup #<index>`, which `parseSuggestionLabel` reads back.
 */
export interface SuggestionRecord {
  algorithm: 'tpe' | 'tpe-startup';
  /** 0-based: the i-th suggestion of the sweep. */
  index: number;
  /** The results it was conditioned on (0 for a start-up draw). */
  conditionedOn: number;
}

/** The store fingerprint of suggestion `index`: one per suggestion, whatever it suggests. */
export function suggestionFingerprint(index: number): string {
  return `tpe:${index}`;
}

/** `tpe #12 (11 results)` or `tpe-startup #3`. */
export function suggestionTag(record: SuggestionRecord): string {
  return record.algorithm === 'tpe'
    ? `tpe #${record.index} (${record.conditionedOn} result${record.conditionedOn === 1 ? '' : 's'})`
    : `tpe-startup #${record.index}`;
}

const TAG = /(?:^| )(tpe|tpe-startup) #(\d+)(?: \((\d+) results?\))?(?: |$)/;

/** The record a label written with `suggestionTag` carries; null for a label without one. */
export function parseSuggestionLabel(label: string): SuggestionRecord | null {
  const match = TAG.exec(label);
  if (match === null) return null;
  const algorithm = match[1] === 'tpe' ? 'tpe' : 'tpe-startup';
  if (algorithm === 'tpe' && match[3] === undefined) return null;
  return { algorithm, index: Number(match[2]), conditionedOn: algorithm === 'tpe' ? Number(match[3]) : 0 };
}
