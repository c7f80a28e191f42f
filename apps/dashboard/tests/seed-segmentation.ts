import type { PrismaRunStore } from '@ltlab/store';
import { type EvalEvent, type FixtureTrainerEvent, recordTrainerEvents } from './trainer-events.js';

export const SEGMENTATION_RUN = 'run-fmnist-seg-lt-rr';
const CLASSES = 11;
const PERIODS = 4;

/**
 * Training images containing each class (the benchmark's background and ten long-tailed items).
 * Rank terciles of 11 classes: head 0-3, body 4-7, tail 8-10.
 */
export const IMAGE_COUNTS = [4000, 1000, 600, 360, 216, 130, 78, 47, 28, 17, 10];
export const CLASS_GROUPS = ['head', 'head', 'head', 'head', 'body', 'body', 'body', 'body', 'tail', 'tail', 'tail'];
/** Correct pixels of item classes 1..9 out of 100 each; the misses are predicted background. Class 10 is absent. */
const CORRECT = [90, 80, 80, 60, 50, 50, 40, 20, 10];

/** The pixel confusion (rows = label, columns = prediction) of the final test evaluation. */
export function finalConfusion(): number[][] {
  const rows = Array.from({ length: CLASSES }, () => Array.from({ length: CLASSES }, () => 0));
  (rows[0] as number[])[0] = 1000;
  CORRECT.forEach((correct, i) => {
    const row = rows[i + 1] as number[];
    row[i + 1] = correct;
    row[0] = 100 - correct;
  });
  return rows;
}

/**
 * The scores of `finalConfusion`, by hand: IoU of item class k is correct_k / 100 (no pixel is
 * predicted k wrongly), background's 1000 / (1000 + 420 missed item pixels); class 10 has no
 * label and no prediction, so no IoU, and is left out of mIoU and of the tail's mean.
 */
export const EXPECTED = {
  perClassIoU: [1000 / 1420, 0.9, 0.8, 0.8, 0.6, 0.5, 0.5, 0.4, 0.2, 0.1, null],
  mIoU: (1000 / 1420 + 4.8) / 10,
  pixelAccuracy: 1480 / 1900,
  meanClassAccuracy: 5.8 / 10,
  head: (1000 / 1420 + 0.9 + 0.8 + 0.8) / 4,
  body: (0.6 + 0.5 + 0.5 + 0.4) / 4,
  tail: (0.2 + 0.1) / 2,
} as const;

/** The eval event a segmentation run sends (packages/train's `eval` with its `segmentation` block). */
function segmentationEval(epoch: number, scale: number): EvalEvent {
  // Earlier periods: fewer item pixels right (the rest predicted background), the same label totals.
  const confusion = finalConfusion().map((row, label) => {
    const total = row.reduce((a, b) => a + b, 0);
    if (label === 0 || total === 0) return row;
    const correct = Math.round((row[label] as number) * scale);
    return row.map((n, predicted) => (predicted === label ? correct : predicted === 0 ? total - correct : n));
  });
  const labelPixels = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = confusion.map((_, k) => confusion.reduce((a, row) => a + (row[k] as number), 0));
  const iou = confusion.map((row, k) => {
    const union = (labelPixels[k] as number) + (predicted[k] as number) - (row[k] as number);
    return union === 0 ? null : (row[k] as number) / union;
  });
  const accuracy = confusion.map((row, k) =>
    labelPixels[k] === 0 ? null : (row[k] as number) / (labelPixels[k] as number),
  );
  const mean = (xs: Array<number | null>) => {
    const defined = xs.filter((x): x is number => x !== null);
    return defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length;
  };
  const ofGroup = (g: string) => iou.filter((_, k) => CLASS_GROUPS[k] === g);
  const counted = labelPixels.reduce((a, b) => a + b, 0);
  const pixelAccuracy = confusion.reduce((a, row, k) => a + (row[k] as number), 0) / counted;
  return {
    type: 'eval',
    runId: SEGMENTATION_RUN,
    attempt: 1,
    epoch,
    step: epoch * 500,
    time: Date.parse('2026-03-05T09:00:00Z') + epoch * 120_000 + 1,
    split: 'test',
    metrics: { top1: pixelAccuracy, top5: null, many: null, medium: null, few: null },
    perClassAccuracy: [],
    trainCounts: [],
    confusion: null,
    segmentation: {
      numClasses: CLASSES,
      ignoreIndex: 255,
      countedPixels: counted,
      ignoredPixels: 37,
      mIoU: mean(iou),
      pixelAccuracy,
      meanClassAccuracy: mean(accuracy),
      perClassIoU: iou,
      perClassAccuracy: accuracy,
      labelPixels,
      imageCounts: IMAGE_COUNTS,
      frequencyGroups: {
        grouping: { by: 'rank-terciles' },
        head: mean(ofGroup('head')),
        body: mean(ofGroup('body')),
        tail: mean(ofGroup('tail')),
        classesEvaluated: {
          head: ofGroup('head').filter((x) => x !== null).length,
          body: ofGroup('body').filter((x) => x !== null).length,
          tail: ofGroup('tail').filter((x) => x !== null).length,
        },
        classGroups: CLASS_GROUPS,
      },
      confusion,
    },
  };
}

/**
 * A finished CE + Region Rebalance run on the Fashion-MNIST segmentation benchmark: 4 periods of
 * 500 iterations, each an `epoch` event and a test evaluation, the last one `finalConfusion`.
 */
export async function seedSegmentationRun(store: PrismaRunStore): Promise<string> {
  await store.addRuns([
    {
      id: SEGMENTATION_RUN,
      sweepId: null,
      fingerprint: `fp-${SEGMENTATION_RUN}`,
      config: {
        task: 'segmentation',
        seed: 0,
        data: { source: { name: 'fashion-mnist-seg-lt', imbalanceRatio: 100 } },
        model: { name: 'fcn-resnet18' },
        loss: { auxiliaryWeight: 0.4, regionRebalance: { weight: 1, smooth: 0.5 } },
        iterations: PERIODS * 500,
        periodIterations: 500,
      },
      configHash: `ch-${SEGMENTATION_RUN}`,
      label: 'fmnist-seg-lt ce+rr',
      ordinal: 0,
      sweptKeys: [],
    },
  ]);
  const start = Date.parse('2026-03-05T09:00:00Z');
  await store.markRunStarted({
    runId: SEGMENTATION_RUN,
    attempt: 1,
    node: 'node-1',
    slot: 'cpu0',
    at: new Date(start),
  });
  const events: FixtureTrainerEvent[] = [];
  for (let epoch = 1; epoch <= PERIODS; epoch++) {
    events.push({
      type: 'epoch',
      runId: SEGMENTATION_RUN,
      attempt: 1,
      epoch,
      step: epoch * 500,
      time: start + epoch * 120_000,
      trainLoss: 1.5 / epoch,
      lr: 6e-5 * (1 - epoch / PERIODS),
      imagesPerSecond: 300,
      seconds: 120,
    });
    events.push(segmentationEval(epoch, epoch / PERIODS));
  }
  await recordTrainerEvents(store, events, 'test/mIoU');
  await store.markRunFinished({
    runId: SEGMENTATION_RUN,
    attempt: 1,
    status: 'succeeded',
    at: new Date(start + PERIODS * 120_000 + 5_000),
  });
  return SEGMENTATION_RUN;
}
