import { join } from 'node:path';
import type { ClassificationRunConfigInput as RunConfigInput } from '@ltlab/config';
import { latestValidCheckpoint } from '../engine/resume-checkpoint.js';

export const normalize = { name: 'normalize', mean: [0.286], std: [0.353] };
export const crop = [{ name: 'randomCrop', size: 28, padding: 3 }, { name: 'horizontalFlip' }, normalize];

/** A tiny Fashion-MNIST-LT: 80 images of the largest class down to 8 (345 in all), 20 test images per class. */
export function tinyConfig(overrides: Partial<RunConfigInput> = {}): RunConfigInput {
  return {
    seed: 3,
    data: {
      source: 'fashion-mnist',
      longTail: { imbalanceFactor: 10, imgMax: 80 },
      transforms: { train: crop, test: [normalize] },
    },
    backbone: { name: 'resnet8' },
    method: { loss: 'cross-entropy' },
    optimizer: { lr: 0.05 },
    schedule: { type: 'warmup-cosine', warmupEpochs: 1 },
    epochs: 3,
    batchSize: 32,
    evaluation: { maxPerClass: 20, batchSize: 100 },
    ...overrides,
  };
}

/** Every tensor of the run's newest intact checkpoint (weights, BN statistics, SGD buffers), by name. */
const tiny8 = [{ name: 'resize', size: 8 }, { name: 'horizontalFlip' }, normalize];

/**
 * PaCo on 8 x 8 Fashion-MNIST, 8 images of the largest class down to 2: two steps of 16, an
 * evaluation and a checkpoint, with the momentum encoder, queue and SGD buffers all exercised.
 */
export function tinyPacoConfig(): RunConfigInput {
  return tinyConfig({
    epochs: 1,
    batchSize: 16,
    data: {
      source: 'fashion-mnist',
      longTail: { imbalanceFactor: 4, imgMax: 8 },
      transforms: { train: { views: [tiny8, tiny8] }, test: tiny8 },
    },
    method: {
      loss: 'paco',
      options: { alpha: 0.05, temperature: 0.2 },
      projection: { dim: 16 },
      momentumEncoder: { queueSize: 32 },
    },
    evaluation: { maxPerClass: 4, batchSize: 16 },
  });
}

/**
 * Cross-entropy on 8 x 8 Fashion-MNIST, 8 images of the largest class down to 2: two steps of 16
 * per epoch and every epoch's checkpoint kept, for tests that damage checkpoints and resume.
 */
export function tinyCeConfig(): RunConfigInput {
  return tinyConfig({
    epochs: 3,
    batchSize: 16,
    data: {
      source: 'fashion-mnist',
      longTail: { imbalanceFactor: 4, imgMax: 8 },
      transforms: { train: tiny8, test: tiny8 },
    },
    evaluation: { maxPerClass: 4, batchSize: 16 },
    checkpoint: { everyEpochs: 1, keepLast: 3, keepBest: false },
  });
}

export function weightsOf(runDir: string): Record<string, number[]> {
  const found = latestValidCheckpoint(join(runDir, 'checkpoints'));
  if (found === null) throw new Error(`no checkpoint in ${runDir}`);
  return Object.fromEntries(Object.entries(found.contents.tensors).map(([name, t]) => [name, Array.from(t.values)]));
}
