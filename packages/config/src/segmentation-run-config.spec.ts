import { describe, expect, it } from 'vitest';
import { classificationConfigOf, parseRunConfig, runConfigHash, segmentationConfigOf, taskOf } from './run-config.js';

const minimal = {
  task: 'segmentation',
  data: { source: { name: 'fashion-mnist-seg-lt' } },
  model: { name: 'fcn-resnet10' },
  optimizer: { name: 'adamw', lr: 6e-5 },
  iterations: 200,
  batchSize: 8,
  evaluation: { everyIterations: 100 },
  checkpoint: { everyIterations: 100 },
};

const messageOf = (input: unknown): string => {
  try {
    parseRunConfig(input, 'run config seg.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  return '';
};

describe('the segmentation run config', () => {
  it('fills the defaults of the Region Rebalance recipe (AdamW, poly, auxiliary head at 0.4)', () => {
    const config = segmentationConfigOf(parseRunConfig(minimal));
    expect(taskOf(config)).toBe('segmentation');
    expect(config.optimizer).toEqual({
      name: 'adamw',
      lr: 6e-5,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0.01,
      noWeightDecay: ['norm'],
    });
    expect(config.schedule).toEqual({ type: 'poly', power: 1, minLr: 0, warmupIterations: 0, warmupRatio: 1e-6 });
    expect(config.loss).toEqual({ auxiliaryWeight: 0.4 });
    expect(config.periodIterations).toBe(50);
    expect(config.evaluation).toEqual({ everyIterations: 100, batchSize: 1, originalLabels: true });
    // The source's own defaults are filled in, so they are part of the run's identity.
    expect(config.data.source).toMatchObject({ name: 'fashion-mnist-seg-lt', seed: 0, trainImages: 2000 });
    const rr = segmentationConfigOf(parseRunConfig({ ...minimal, loss: { regionRebalance: {} } }));
    expect(rr.loss.regionRebalance).toEqual({
      weight: 1,
      smooth: 0.5,
      scale: 1,
      reducedChannels: 128,
      hiddenChannels: 512,
    });
    expect(runConfigHash(rr)).not.toBe(runConfigHash(parseRunConfig(minimal)));
  });

  it('names the path of an unknown key and a bad source option', () => {
    const message = messageOf({
      ...minimal,
      data: { source: { name: 'fashion-mnist-seg-lt', imbalanceFactor: 0.5 } },
      loss: { regionRebalance: { smoth: 0.5 } },
      optimiser: {},
    });
    expect(message).toContain('seg.yaml');
    expect(message).toContain('data.source.imbalanceFactor');
    expect(message).toContain("loss.regionRebalance.smoth: unknown key; did you mean 'smooth'?");
    expect(message).toContain("optimiser: unknown key; did you mean 'optimizer'?");
  });

  it('validates the paired transforms with their own schemas, at their paths', () => {
    const message = messageOf({
      ...minimal,
      data: {
        ...minimal.data,
        transforms: { train: [{ name: 'randomCrop', size: -1 }], test: [{ name: 'nope' }] },
      },
    });
    expect(message).toMatch(/data\.transforms\.train\[0\]\.size: /);
    expect(message).toMatch(/data\.transforms\.test\[0\]\.name: Unknown segmentation transform 'nope'/);
  });

  it('needs iterations, evaluations and checkpoints on period boundaries, and a warm-up shorter than the run', () => {
    const message = messageOf({
      ...minimal,
      iterations: 210,
      periodIterations: 20,
      evaluation: { everyIterations: 50 },
      checkpoint: { everyIterations: 30 },
      schedule: { type: 'poly', warmupIterations: 210 },
    });
    expect(message).toContain('iterations: 210 is not a multiple of periodIterations 20');
    expect(message).toContain('evaluation.everyIterations: 50 is not a multiple of periodIterations 20');
    expect(message).toContain('checkpoint.everyIterations: 30 is not a multiple of periodIterations 20');
    expect(message).toContain('schedule.warmupIterations: 210 warm-up iterations leave none');
  });

  it('refuses a padded test pipeline when scoring against the stored label maps', () => {
    const padded = { ...minimal, data: { ...minimal.data, transforms: { test: [{ name: 'pad', size: 64 }] } } };
    expect(messageOf(padded)).toMatch(/data\.transforms\.test: ends with 'pad'/);
    const transformed = { ...padded, evaluation: { everyIterations: 100, originalLabels: false } };
    expect(messageOf(transformed)).toBe('');
  });

  it('is chosen by task; an unknown task and a classification config with segmentation keys are errors', () => {
    expect(messageOf({ ...minimal, task: 'detection' })).toMatch(
      /task: unknown task; use one of classification, segmentation/,
    );
    // Code written for one task refuses the other's config by name, with a code.
    expect(() => classificationConfigOf(parseRunConfig(minimal), 'seg.yaml')).toThrow(
      expect.objectContaining({
        code: 'CONFIG.UNSUPPORTED',
        message: expect.stringContaining('seg.yaml is a segmentation run config'),
      }),
    );
    const { task: _task, ...untasked } = minimal;
    const message = messageOf(untasked);
    expect(message).toContain('model: unknown key');
    expect(message).toContain('backbone');
  });
});
