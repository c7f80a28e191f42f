import type { ImportanceValue } from '../importance.js';
import type { ForestFeature } from './random-forest.js';

/**
 * One swept parameter's values as a forest column. All-numeric parameters stay numbers, on a
 * log10 scale when they are positive and span more than two decades (a learning rate from 1e-4 to
 * 1e-1), so split thresholds sit at geometric midpoints the way such a parameter is searched;
 * a run without the leaf is `NaN`, which the trees treat as a value of its own. Anything else
 * (strings, booleans, a mix) is categorical, with "no value" as one more category.
 */
export interface EncodedParameter {
  feature: ForestFeature;
  /** Whether numbers were put on a log10 scale. */
  log: boolean;
  /** Distinct values among the runs, counting "no value" as one. */
  levels: number;
}

/** Max / min above which a positive numeric parameter is put on a log scale. */
export const LOG_SPAN = 100;

export function encodeParameter(values: readonly ImportanceValue[]): EncodedParameter {
  const present = values.filter((value) => value !== null);
  const hasMissing = present.length < values.length;
  if (present.length > 0 && present.every((value) => typeof value === 'number')) {
    const numbers = present as number[];
    const min = Math.min(...numbers);
    const max = Math.max(...numbers);
    const log = min > 0 && max / min > LOG_SPAN;
    const column = Float64Array.from(values, (value) =>
      typeof value === 'number' ? (log ? Math.log10(value) : value) : Number.NaN,
    );
    return { feature: { kind: 'numeric', values: column }, log, levels: new Set(numbers).size + (hasMissing ? 1 : 0) };
  }
  // Codes in a fixed order of the values, so a fit does not depend on the order runs come in.
  const keys = [...new Set(values.map((value) => JSON.stringify(value)))].sort();
  const codes = new Map(keys.map((key, code) => [key, code]));
  const column = Int32Array.from(values, (value) => codes.get(JSON.stringify(value)) as number);
  return { feature: { kind: 'categorical', values: column, levels: keys.length }, log: false, levels: keys.length };
}
