import { classificationRunConfigSchema, runConfigSchema } from '@ltlab/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resolveConfigPath, unknownKeysIn } from './config-shape.js';

describe('resolveConfigPath', () => {
  it('follows known paths, through defaults, optionals and unions', () => {
    for (const path of [
      'seed',
      'optimizer.lr',
      'data.longTail.imbalanceFactor',
      'data.validation.perClass',
      'data.transforms.train',
      'data.transforms.train.views',
      'schedule.warmupEpochs',
      'schedule.milestones',
      'method.momentumEncoder.queueSize',
      'method.drw.startEpoch',
      'stages',
    ]) {
      expect(resolveConfigPath(runConfigSchema, path), path).toMatchObject({ ok: true });
    }
  });

  it('stops checking inside component options', () => {
    for (const path of [
      'method.options.temperature',
      'method.head.afterConv1x1',
      'backbone.options.x.y',
      'sampler.seed',
    ]) {
      expect(resolveConfigPath(runConfigSchema, path), path).toEqual({ ok: true, schemas: [] });
    }
  });

  it('names the nearest known path for a typo', () => {
    expect(resolveConfigPath(runConfigSchema, 'optimizer.lrr')).toEqual({
      ok: false,
      problem: "the run config has no 'optimizer.lrr'; did you mean 'optimizer.lr'?",
    });
    expect(resolveConfigPath(runConfigSchema, 'optimiser.lr')).toEqual({
      ok: false,
      problem: "the run config has no 'optimiser'; did you mean 'optimizer'?",
    });
    expect(resolveConfigPath(runConfigSchema, 'schedule.warmupEpoch')).toMatchObject({
      problem: expect.stringContaining("did you mean 'schedule.warmupEpochs'?"),
    });
  });

  it('lists the known keys when none is near', () => {
    const resolved = resolveConfigPath(runConfigSchema, 'checkpoint.zzz');
    expect(resolved).toEqual({
      ok: false,
      // Classification's checkpoint keys, then segmentation's own (the run config is either task's).
      problem:
        "the run config has no 'checkpoint.zzz'; 'checkpoint' has everyEpochs, keepLast, keepBest, everyIterations",
    });
  });

  it('refuses paths through single values and lists', () => {
    expect(resolveConfigPath(runConfigSchema, 'epochs.max')).toEqual({
      ok: false,
      problem: "'epochs' holds a single value, not fields; set 'epochs' as a whole",
    });
    expect(resolveConfigPath(runConfigSchema, 'stages.epochs')).toEqual({
      ok: false,
      problem: "'stages' holds a list, not fields; set 'stages' as a whole",
    });
  });
});

describe('unknownKeysIn', () => {
  it('finds unknown keys at any depth, in lists too, with their paths', () => {
    const value = {
      optimiser: { lr: 0.5 },
      optimizer: { lr: 0.1, momentun: 0.9 },
      method: { loss: 'ldam', options: { anything: 1 }, drw: { startEpoch: 2, betta: 0.9 } },
      stages: [{ name: 'crt', epochs: 1, freezeBackbon: true }],
      data: { transforms: { train: { views: [[{ name: 'randomCrop', size: 28 }]], veiws: [] } } },
    };
    expect(unknownKeysIn([runConfigSchema], value, 'base')).toEqual([
      "base.optimiser: unknown key; did you mean 'optimizer'?",
      "base.optimizer.momentun: unknown key; did you mean 'momentum'?",
      "base.method.drw.betta: unknown key; did you mean 'beta'?",
      "base.stages[0].freezeBackbon: unknown key; did you mean 'freezeBackbone'?",
      "base.data.transforms.train.veiws: unknown key; did you mean 'views'?",
    ]);
  });

  it('picks the option of a tagged union by its tag', () => {
    const schedule = classificationRunConfigSchema.shape.schedule;
    expect(unknownKeysIn([schedule], { type: 'cosine', warmupEpochs: 2 }, 'schedule')).toEqual([
      'schedule.warmupEpochs: unknown key; known: type',
    ]);
    expect(unknownKeysIn([schedule], { type: 'warmup-cosine', warmupEpochs: 2 }, 'schedule')).toEqual([]);
    // An unknown tag is the schema's to report.
    expect(unknownKeysIn([schedule], { type: 'linear', warmupEpochs: 2 }, 'schedule')).toEqual([]);
  });

  it('leaves values of the wrong type and open schemas alone', () => {
    expect(unknownKeysIn([runConfigSchema], { optimizer: 3, epochs: { a: 1 } }, 'base')).toEqual([]);
    expect(unknownKeysIn([z.record(z.string(), z.unknown())], { any: { thing: 1 } }, 'x')).toEqual([]);
    expect(unknownKeysIn([z.looseObject({ name: z.string() })], { name: 'a', seed: 1 }, 'x')).toEqual([]);
    expect(unknownKeysIn([], { a: 1 }, 'x')).toEqual([]);
  });
});
