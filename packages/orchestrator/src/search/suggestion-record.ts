import type { JsonObject, RunSuggestion } from '@ltlab/store';
import type { TpeResult } from './tpe-sampler.js';

/**
 * How a searched run was suggested: by which algorithm, as which suggestion of its sweep, and
 * on how many results. The run's `suggestion` column holds it with its inputs (`storedSuggestion`);
 * the run's other fields say it too: `ordinal` is the suggestion index, `fingerprint` is
 * `tpe:<index>` (the store's unique (sweep, fingerprint) index then admits one run per
 * suggestion) and the label starts with `tpe #<index> (<n> results)` or `tpe-startup #<index>`
 * for people; code reads the column.
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

/**
 * The record stored with the run (the store's `RunSuggestion`): the suggestion, the results a
 * model-based one was conditioned on (suggestion indices, ascending, and the best objective
 * among them by the sweep's mode; none for a start-up draw) and the values it suggested.
 */
export function storedSuggestion(
  record: SuggestionRecord,
  results: readonly TpeResult[],
  mode: 'max' | 'min',
  params: Readonly<Record<string, unknown>>,
): RunSuggestion {
  const seen = record.algorithm === 'tpe' ? results : [];
  const values = seen.map((result) => result.value);
  return {
    ...record,
    inputs: {
      results: seen.map((result) => result.index).sort((a, b) => a - b),
      best: values.length === 0 ? null : mode === 'max' ? Math.max(...values) : Math.min(...values),
    },
    params: JSON.parse(JSON.stringify(params)) as JsonObject,
  };
}
