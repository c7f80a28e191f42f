import { expandSweep, sweepSpecSchema } from '@ltlab/orchestrator';
import { describe, expect, it } from 'vitest';
import { dryRun, dryRunRows } from './sweep-dry-run.js';

const base = {
  data: { source: 'fashion-mnist', longTail: { imbalanceFactor: 10, imgMax: 60 } },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.05 },
  epochs: 2,
  batchSize: 32,
};

describe('sweep submit --dry-run', () => {
  it('reports the count, each run with its label and the values of the keys that differ', () => {
    const spec = sweepSpecSchema.parse({
      name: 'lr',
      base,
      grid: { 'optimizer.lr': [0.05, 0.00001] },
      replicates: 2,
    });
    const report = dryRun(spec.name, expandSweep(spec, base));
    expect(report).toMatchObject({ dryRun: true, name: 'lr', runs: 4, sweptKeys: ['optimizer.lr', 'seed'] });
    expect(report.sweepId).toMatch(/^lr-[0-9a-f]{8}$/);
    expect(report.expanded.map((r) => [r.label, r.values])).toEqual([
      ['lr=0.05 seed=0', { 'optimizer.lr': 0.05, seed: 0 }],
      ['lr=0.05 seed=1', { 'optimizer.lr': 0.05, seed: 1 }],
      ['lr=0.00001 seed=0', { 'optimizer.lr': 0.00001, seed: 0 }],
      ['lr=0.00001 seed=1', { 'optimizer.lr': 0.00001, seed: 1 }],
    ]);
    expect(dryRunRows(report)[2]).toEqual({
      '#': 2,
      label: 'lr=0.00001 seed=0',
      'optimizer.lr': '0.00001',
      seed: 0,
      id: report.expanded[2]?.id,
    });
  });

  it('a sweep of one run differs in nothing', () => {
    const spec = sweepSpecSchema.parse({ name: 'one', base });
    const report = dryRun(spec.name, expandSweep(spec, base));
    expect(report).toMatchObject({ runs: 1, sweptKeys: [] });
    expect(dryRunRows(report)[0]).toMatchObject({ label: '(base config)' });
  });
});
