import type { RunConfig } from '../config/run-config.js';
import { type BestSelection, SELECTION_METRICS } from '../config/trainer-events.js';

/** A sweep's objective, `<split>/<metric>` (`test/top1`, `test/few`) and its direction. */
export interface Objective {
  metric: string;
  mode: 'max' | 'min';
}

/** The best evaluation so far by a selection, and the 1-based epoch it came from. */
export interface BestSoFar extends BestSelection {
  value: number;
  epoch: number;
}

/**
 * What `best.ckpt` is chosen by (docs/evaluation.md §7): the objective's metric (top-1 without
 * one) on the validation split when the config holds one out, else on the test set. An objective
 * the evaluations do not report (e.g. `train/loss`) falls back to top-1, higher is better.
 */
export function bestSelection(config: RunConfig, objective?: Objective): BestSelection {
  const metric = (objective?.metric ?? 'test/top1').split('/')[1] ?? '';
  const known = (SELECTION_METRICS as readonly string[]).includes(metric);
  return {
    metric: known ? (metric as BestSelection['metric']) : 'top1',
    // Held out of training, validation keeps the test set out of the choice; without it the test set is all there is.
    split: config.data.validation === undefined ? 'test' : 'val',
    mode: known ? (objective?.mode ?? 'max') : 'max',
  };
}

/** Whether `value` beats the best so far; a null value (an empty shot group) never does. */
export function improves(best: BestSoFar | null, value: number | null, mode: 'max' | 'min'): value is number {
  if (value === null || Number.isNaN(value)) return false;
  if (best === null) return true;
  return mode === 'max' ? value > best.value : value < best.value;
}

/** Same metric, split and direction: a best kept under another selection is no best under this one. */
export function sameSelection(a: BestSelection, b: BestSelection): boolean {
  return a.metric === b.metric && a.split === b.split && a.mode === b.mode;
}
