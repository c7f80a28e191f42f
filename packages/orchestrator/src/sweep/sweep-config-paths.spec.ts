import { parseOrThrow } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { assertSweepConfigPaths, sweepConfigProblems } from './sweep-config-paths.js';
import { sweepSpecSchema } from './sweep-spec.js';

const base = {
  data: { source: 'fashion-mnist', longTail: { imbalanceFactor: 100, imgMax: 1000 } },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.1 },
  epochs: 2,
  batchSize: 64,
};

const spec = (raw: Record<string, unknown>) => parseOrThrow(sweepSpecSchema, { name: 'demo', base, ...raw }, 'sweep');

describe('sweepConfigProblems', () => {
  it('accepts known paths, component options and whole objects', () => {
    const sweep = spec({
      variants: [
        { name: 'ldam', set: { method: { loss: 'ldam', options: { maxM: 0.5 }, drw: { startEpoch: 1 } } } },
        { name: 'two-view', set: { 'data.transforms.train': { views: [[{ name: 'horizontalFlip' }]] } } },
      ],
      grid: { 'optimizer.lr': [0.1, 0.2], 'method.options.temperature': [0.1], seed: [1, 2] },
      random: { count: 2, params: { 'sampler.name': { distribution: 'choice', values: ['instance-balanced'] } } },
    });
    expect(sweepConfigProblems(sweep, base)).toEqual([]);
  });

  it('names each bad key or path by its place in the sweep file, with the nearest known one', () => {
    const sweep = spec({
      variants: [
        { name: 'a', set: { 'optimiser.lr': 0.5 } },
        { name: 'b', set: { method: { loss: 'ldam', optionz: { s: 1 } } } },
      ],
      grid: {
        'optimizer.lrr': [0.1, 0.2],
        schedule: [{ type: 'cosine' }, { type: 'warmup-cosine', warmupEpoch: 2 }],
        'epochs.count': [1],
      },
      random: { count: 1, params: { 'optimizer.momentun': { distribution: 'uniform', min: 0.8, max: 0.9 } } },
    });
    expect(sweepConfigProblems(sweep, { ...base, optimiser: { lr: 0.5 } })).toEqual([
      "base.optimiser: unknown key; did you mean 'optimizer'?",
      "variants[0].set.optimiser.lr: the run config has no 'optimiser'; did you mean 'optimizer'?",
      "variants[1].set.method.optionz: unknown key; did you mean 'options'?",
      "grid.optimizer.lrr: the run config has no 'optimizer.lrr'; did you mean 'optimizer.lr'?",
      "grid.schedule[1].warmupEpoch: unknown key; did you mean 'warmupEpochs'?",
      "grid.epochs.count: 'epochs' holds a single value, not fields; set 'epochs' as a whole",
      "random.params.optimizer.momentun: the run config has no 'optimizer.momentun'; did you mean 'optimizer.momentum'?",
    ]);
  });

  it('checks the values of a choice distribution', () => {
    const sweep = spec({
      random: { count: 1, params: { optimizer: { distribution: 'choice', values: [{ lr: 0.1, nesterow: true }] } } },
    });
    expect(sweepConfigProblems(sweep, base)).toEqual([
      "random.params.optimizer.values[0].nesterow: unknown key; did you mean 'nesterov'?",
    ]);
  });
});

describe('assertSweepConfigPaths', () => {
  it('throws CONFIG.INVALID listing every problem, or nothing', () => {
    expect(() =>
      assertSweepConfigPaths(spec({ grid: { 'optimizer.lr': [0.1] } }), base, 'sweep file s.yaml'),
    ).not.toThrow();
    expect(() => assertSweepConfigPaths(spec({ grid: { 'optimizer.lrr': [0.1] } }), base, 'sweep file s.yaml')).toThrow(
      expect.objectContaining({
        code: 'CONFIG.INVALID',
        message: expect.stringMatching(/^Invalid sweep file s\.yaml: 1 key\(s\)[\s\S]*\n {2}- grid\.optimizer\.lrr: /),
      }),
    );
  });
});
