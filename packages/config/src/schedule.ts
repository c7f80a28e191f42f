import { z } from 'zod';

/**
 * Learning-rate schedules, set once per epoch (never per iteration) as in the original code.
 * `e` is the 0-based epoch, `E` the epochs of the stage, `W` the warm-up length.
 */
export const scheduleSchema = z.discriminatedUnion('type', [
  /** PaCo LT/Places/ImageNet and ResLT ImageNet-LT (docs/methods.md §14): linear warm-up, then
   * `base * 0.5 * (1 + cos(pi * (e - W + 1) / (E - W + 1)))`; never reaches 0. */
  z.strictObject({ type: z.literal('warmup-cosine'), warmupEpochs: z.number().int().min(0).default(10) }),
  /** ResLT iNat (docs/methods.md §14): `base * 0.5 * (1 + cos(pi * e / E))`. */
  z.strictObject({ type: z.literal('cosine') }),
  /** ResLT CIFAR (docs/methods.md §14): warm-up `base * (from * (1 - f) + f)` with f = (e + 1) / W for e < W,
   * then multiplied by `gamma` at every milestone m with e >= m. */
  z.strictObject({
    type: z.literal('warmup-step'),
    warmupEpochs: z.number().int().min(0).default(5),
    warmupFrom: z
      .number()
      .min(0)
      .max(1)
      .default(1 / 3),
    milestones: z.array(z.number().int().positive()).default([160, 180]),
    gamma: z.number().positive().default(0.1),
  }),
  /** PaCo CIFAR (docs/methods.md §14): `base * (e + 1) / W` while e <= W (so epoch W runs at (W+1)/W x base),
   * then x0.1 after each milestone (e > m). */
  z.strictObject({
    type: z.literal('paco-cifar'),
    warmupEpochs: z.number().int().positive().default(10),
    milestones: z.array(z.number().int().positive()).default([320, 360]),
  }),
  z.strictObject({ type: z.literal('constant') }),
]);

export type Schedule = z.infer<typeof scheduleSchema>;

export function learningRateAt(schedule: Schedule, baseLr: number, epoch: number, totalEpochs: number): number {
  const e = epoch;
  switch (schedule.type) {
    case 'warmup-cosine': {
      const w = schedule.warmupEpochs;
      if (e < w) return (baseLr * (e + 1)) / w;
      return baseLr * 0.5 * (1 + Math.cos((Math.PI * (e - w + 1)) / (totalEpochs - w + 1)));
    }
    case 'cosine':
      return baseLr * 0.5 * (1 + Math.cos((Math.PI * e) / totalEpochs));
    case 'warmup-step': {
      if (e < schedule.warmupEpochs) {
        const f = (e + 1) / schedule.warmupEpochs;
        return baseLr * (schedule.warmupFrom * (1 - f) + f);
      }
      const passed = schedule.milestones.filter((m) => e >= m).length;
      return baseLr * schedule.gamma ** passed;
    }
    case 'paco-cifar': {
      if (e <= schedule.warmupEpochs) return (baseLr * (e + 1)) / schedule.warmupEpochs;
      const passed = schedule.milestones.filter((m) => e > m).length;
      return baseLr * 0.1 ** passed;
    }
    case 'constant':
      return baseLr;
  }
}
