import type { JsonObject, PrismaRunStore } from '@ltlab/store';

/**
 * The trainer's `epoch` and `eval` events (packages/train/src/config/trainer-events.ts), with the
 * fields the recorder stores. The dashboard may not import @ltlab/train or @ltlab/orchestrator
 * (docs/architecture.md §2), so the fixtures spell the events out here and record them the way
 * packages/orchestrator/src/recorder/apply-event.ts does: the stored metrics are then only ones a
 * real run has (train loss, lr, images_per_second, epoch_seconds; top1..few per evaluated split,
 * or mIoU, aAcc, mAcc and head / body / tail IoU for a segmentation evaluation).
 */
interface EventBase {
  runId: string;
  attempt: number;
  /** 1-based, the epoch just completed. */
  epoch: number;
  /** Optimizer steps so far. */
  step: number;
  /** ms since the epoch. */
  time: number;
}

export interface EpochEvent extends EventBase {
  type: 'epoch';
  trainLoss: number;
  lr: number;
  imagesPerSecond: number;
  seconds: number;
}

export interface EvalEvent extends EventBase {
  type: 'eval';
  /** `test` every evaluation; `val` too when the config holds out `data.validation`. */
  split: 'val' | 'test';
  metrics: { top1: number; top5: number | null; many: number | null; medium: number | null; few: number | null };
  perClassAccuracy: number[];
  trainCounts: number[];
  confusion: number[][] | null;
  /**
   * A segmentation evaluation (@ltlab/metrics' `SegmentationEvaluation`); `metrics.top1` is then
   * its pixel accuracy, the rest null, and `perClassAccuracy` / `trainCounts` are empty.
   */
  segmentation?: JsonObject & {
    mIoU: number | null;
    pixelAccuracy: number | null;
    meanClassAccuracy: number | null;
    frequencyGroups: JsonObject & { head: number | null; body: number | null; tail: number | null };
  };
}

export type FixtureTrainerEvent = EpochEvent | EvalEvent;

/** Records `events` as the recorder would, `objective` being the sweep's objective metric (`val/top1`). */
export async function recordTrainerEvents(
  store: PrismaRunStore,
  events: readonly FixtureTrainerEvent[],
  objective: string | null,
): Promise<void> {
  for (const event of events) {
    const at = new Date(event.time);
    const base = { runId: event.runId, attempt: event.attempt, step: event.step, epoch: event.epoch, wallTime: at };
    if (event.type === 'epoch') {
      await store.recordMetrics([
        { ...base, name: 'loss', split: 'train', value: event.trainLoss },
        { ...base, name: 'lr', split: 'train', value: event.lr },
        { ...base, name: 'images_per_second', split: 'train', value: event.imagesPerSecond },
        { ...base, name: 'epoch_seconds', split: 'train', value: event.seconds },
      ]);
      await store.markRunProgress({ runId: event.runId, attempt: event.attempt, at, epoch: event.epoch });
      continue;
    }
    const { top1, top5, many, medium, few } = event.metrics;
    const segmentation = event.segmentation;
    const values: Array<[string, number | null]> =
      segmentation === undefined
        ? Object.entries({ top1, top5, many, medium, few })
        : Object.entries({
            mIoU: segmentation.mIoU,
            aAcc: segmentation.pixelAccuracy,
            mAcc: segmentation.meanClassAccuracy,
            headIoU: segmentation.frequencyGroups.head,
            bodyIoU: segmentation.frequencyGroups.body,
            tailIoU: segmentation.frequencyGroups.tail,
          });
    await store.recordMetrics(
      values.flatMap(([name, value]) => (value === null ? [] : [{ ...base, name, split: event.split, value }])),
    );
    const objectiveValue = values.find(([name]) => objective === `${event.split}/${name}`)?.[1];
    await store.recordEvaluation({
      runId: event.runId,
      split: event.split,
      epoch: event.epoch,
      top1,
      ...(top5 === null ? {} : { top5 }),
      ...(many === null ? {} : { many }),
      ...(medium === null ? {} : { medium }),
      ...(few === null ? {} : { few }),
      ...(event.perClassAccuracy.length > 0 || event.trainCounts.length > 0
        ? { perClass: { accuracy: event.perClassAccuracy, trainCounts: event.trainCounts } }
        : {}),
      ...(event.confusion === null ? {} : { confusion: event.confusion }),
      ...(segmentation === undefined ? {} : { segmentation }),
      ...(objectiveValue === undefined || objectiveValue === null ? {} : { objective: objectiveValue }),
    });
  }
}
