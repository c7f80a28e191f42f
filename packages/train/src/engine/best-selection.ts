import {
  type BestSelection,
  CLASSIFICATION_SELECTION_METRICS,
  type RunConfig,
  SEGMENTATION_SELECTION_METRICS,
  type TaskName,
  taskOf,
} from '@ltlab/config';

/** A sweep's objective, `<split>/<metric>` (`test/top1`, `test/few`, `test/mIoU`) and its direction. */
export interface Objective {
  metric: string;
  mode: 'max' | 'min';
}

/** The best evaluation so far by a selection, and the 1-based epoch it came from. */
export interface BestSoFar extends BestSelection {
  value: number;
  epoch: number;
}

/** What each task's evaluations report, and what a best checkpoint is chosen by without an objective. */
const SELECTABLE: Readonly<Record<TaskName, { metrics: readonly string[]; fallback: BestSelection['metric'] }>> = {
  classification: { metrics: CLASSIFICATION_SELECTION_METRICS, fallback: 'top1' },
  segmentation: { metrics: SEGMENTATION_SELECTION_METRICS, fallback: 'mIoU' },
};

/**
 * What `best.ckpt` is chosen by (docs/evaluation.md §7): the objective's metric on the validation
 * split when the config holds one out, else on the test set. Without an objective, or for one the
 * task's evaluations do not report (e.g. `train/loss`, or `test/top1` for a segmentation run),
 * the task's main score, higher is better: top-1 for classification, mIoU for segmentation.
 */
export function bestSelection(config: RunConfig, objective?: Objective): BestSelection {
  const { metrics, fallback } = SELECTABLE[taskOf(config)];
  const metric = (objective?.metric ?? '').split('/')[1] ?? '';
  const known = metrics.includes(metric);
  return {
    metric: known ? (metric as BestSelection['metric']) : fallback,
    // Held out of training, validation keeps the test set out of the choice; without it the test set is all there is.
    split: config.task !== 'segmentation' && config.data.validation !== undefined ? 'val' : 'test',
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
