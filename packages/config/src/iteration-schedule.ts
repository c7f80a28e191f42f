import { z } from 'zod';

/**
 * Learning-rate schedules of iteration-based runs, set before every iteration as mmcv's
 * `LrUpdaterHook` (by_epoch false) does. `i` is the 0-based iteration about to run (the
 * iterations already done), `T` the run's `iterations`.
 */
export const iterationScheduleSchema = z.discriminatedUnion('type', [
  /**
   * Poly (mmcv `PolyLrUpdaterHook`): regular(i) = (base - minLr) * (1 - i / T)^power + minLr. With
   * a linear warm-up of W iterations (mmcv `warmup='linear'`), for i < W:
   * regular(i) * (1 - (1 - i / W) * (1 - warmupRatio)), so the first iteration runs at
   * regular(0) * warmupRatio. The Region Rebalance recipe: power 1, minLr 0, W 1500, ratio 1e-6.
   */
  z.strictObject({
    type: z.literal('poly'),
    power: z.number().positive().default(1),
    minLr: z.number().min(0).default(0),
    warmupIterations: z.number().int().min(0).default(0),
    warmupRatio: z.number().gt(0).max(1).default(1e-6),
  }),
  z.strictObject({ type: z.literal('constant') }),
]);

export type IterationSchedule = z.output<typeof iterationScheduleSchema>;

/** The learning rate of 0-based iteration `iteration` of `totalIterations`. */
export function learningRateAtIteration(
  schedule: IterationSchedule,
  baseLr: number,
  iteration: number,
  totalIterations: number,
): number {
  switch (schedule.type) {
    case 'constant':
      return baseLr;
    case 'poly': {
      const { power, minLr, warmupIterations, warmupRatio } = schedule;
      const regular = (baseLr - minLr) * (1 - iteration / totalIterations) ** power + minLr;
      if (iteration >= warmupIterations) return regular;
      const k = (1 - iteration / warmupIterations) * (1 - warmupRatio);
      return regular * (1 - k);
    }
  }
}
