import { z } from 'zod';
import type { TransformEntry } from './transform.js';

/** Channel statistics of docs/methods.md §13 (on [0, 1] pixels). */
export const NORMALIZATION_PRESETS = {
  imagenet: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  inat: { mean: [0.466, 0.471, 0.38], std: [0.195, 0.194, 0.192] },
  cifar: { mean: [0.4914, 0.4822, 0.4465], std: [0.2023, 0.1994, 0.201] },
  /** Fashion-MNIST training-set statistics (single channel). */
  'fashion-mnist': { mean: [0.286], std: [0.353] },
} as const;

const schema = z
  .strictObject({
    preset: z.enum(Object.keys(NORMALIZATION_PRESETS) as [keyof typeof NORMALIZATION_PRESETS]).optional(),
    mean: z.array(z.number()).min(1).optional(),
    std: z.array(z.number().positive()).min(1).optional(),
  })
  .refine((o) => (o.preset === undefined) !== (o.mean === undefined && o.std === undefined), {
    message: 'give either a preset or mean and std, not both',
  })
  .refine(
    (o) => o.preset !== undefined || (o.mean !== undefined && o.std !== undefined && o.mean.length === o.std.length),
    {
      message: 'give both mean and std, of the same length',
    },
  );

/**
 * ToTensor + Normalize: the last step of a pipeline, turning uint8 into (x / 255 - mean) / std per
 * channel. A single value applies to every channel; a 3-value preset on a gray image uses the mean
 * of its values.
 */
export const normalize: TransformEntry = {
  name: 'normalize',
  summary: 'ToTensor + Normalize: (x / 255 - mean) / std per channel, by preset or mean and std; the last step',
  stage: 'output',
  schema,
  create: (options) => {
    const o = options as z.output<typeof schema>;
    const stats = o.preset !== undefined ? NORMALIZATION_PRESETS[o.preset] : { mean: o.mean ?? [0], std: o.std ?? [1] };
    return { mean: [...stats.mean], std: [...stats.std] };
  },
};
