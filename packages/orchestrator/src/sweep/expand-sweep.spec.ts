import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classificationConfigOf } from '@ltlab/config';
import { parseOrThrow } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { type ExpandedRun, expandSweep } from './expand-sweep.js';
import { loadSweepFile } from './load-sweep-file.js';
import { sweepSpecSchema } from './sweep-spec.js';

/** These sweeps expand classification configs. */
const classification = (run: ExpandedRun | undefined) => classificationConfigOf((run as ExpandedRun).config);

const base = {
  data: { source: 'fashion-mnist', longTail: { imbalanceFactor: 100, imgMax: 1000 } },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.1 },
  epochs: 2,
  batchSize: 64,
  seed: 10,
};

const spec = (raw: Record<string, unknown>) => parseOrThrow(sweepSpecSchema, { name: 'demo', base, ...raw }, 'sweep');

describe('expandSweep', () => {
  it('crosses the grid, then replicates, in a stable order with stable ids', () => {
    const sweep = spec({
      grid: { 'method.loss': ['cross-entropy', 'balanced-softmax'], 'optimizer.lr': [0.1, 0.05] },
      replicates: 2,
    });
    const first = expandSweep(sweep, base);
    expect(first.runs).toHaveLength(8);
    expect(first.runs.map((r) => r.label).slice(0, 3)).toEqual([
      'loss=cross-entropy lr=0.1 seed=10',
      'loss=cross-entropy lr=0.1 seed=11',
      'loss=cross-entropy lr=0.05 seed=10',
    ]);
    expect(classification(first.runs[7]).method.loss).toBe('balanced-softmax');
    expect(first.sweptKeys).toEqual(['method.loss', 'optimizer.lr', 'seed']);
    const again = expandSweep(sweep, base);
    expect(again.id).toBe(first.id);
    expect(again.runs.map((r) => r.id)).toEqual(first.runs.map((r) => r.id));
    expect(new Set(first.runs.map((r) => r.id)).size).toBe(8);
    expect(first.runs[0]?.id.startsWith(`${first.id}-`)).toBe(true);
  });

  it('draws random parameters from seeded streams, within their ranges', () => {
    const sweep = spec({
      random: {
        count: 20,
        seed: 3,
        params: {
          'optimizer.lr': { distribution: 'log-uniform', min: 0.001, max: 0.1 },
          'optimizer.momentum': { distribution: 'uniform', min: 0.8, max: 0.95 },
          epochs: { distribution: 'int', min: 1, max: 3 },
          'sampler.name': { distribution: 'choice', values: ['instance-balanced', 'square-root'] },
        },
      },
    });
    const runs = expandSweep(sweep, base).runs;
    for (const run of runs) {
      expect(run.config.optimizer.lr).toBeGreaterThanOrEqual(0.001);
      expect(run.config.optimizer.lr).toBeLessThan(0.1);
      expect([1, 2, 3]).toContain(classification(run).epochs);
      expect(['instance-balanced', 'square-root']).toContain(classification(run).sampler.name);
    }
    expect(new Set(runs.map((r) => classification(r).epochs)).size).toBe(3);
    expect(expandSweep(sweep, base).runs.map((r) => r.config.optimizer.lr)).toEqual(
      runs.map((r) => r.config.optimizer.lr),
    );
    const reseeded = expandSweep(spec({ random: { ...sweep.random, seed: 4 } }), base).runs;
    expect(reseeded.map((r) => r.config.optimizer.lr)).not.toEqual(runs.map((r) => r.config.optimizer.lr));
  });

  it('crosses named variants with the grid and labels runs by variant', () => {
    const sweep = spec({
      variants: [
        { name: 'ce', set: { method: { loss: 'cross-entropy' } } },
        { name: 'bs', set: { method: { loss: 'balanced-softmax' }, 'optimizer.momentum': 0.8 } },
      ],
      grid: { 'optimizer.lr': [0.1, 0.2] },
    });
    const expanded = expandSweep(sweep, base);
    expect(expanded.runs.map((r) => r.label)).toEqual(['ce lr=0.1', 'ce lr=0.2', 'bs lr=0.1', 'bs lr=0.2']);
    expect(classification(expanded.runs[2]).optimizer.momentum).toBe(0.8);
    // Leaves, as the store keys hyperparameters: a variant's `method` object is no stored key.
    expect(expanded.sweptKeys).toEqual(['method.loss', 'optimizer.momentum', 'optimizer.lr']);
  });

  it('records every leaf that differs between variants, including leaves only some variants set', () => {
    const sweep = spec({
      variants: [
        { name: 'a', set: { 'method.loss': 'ldam', 'method.options.s': 1 } },
        { name: 'b', set: { 'method.loss': 'balanced-softmax' } },
        // Sets a leaf to the base value: nothing varies there, so it is not swept.
        { name: 'c', set: { 'method.loss': 'focal', 'optimizer.lr': 0.1 } },
      ],
    });
    const expanded = expandSweep(sweep, base);
    // Each run carries its loss's options with defaults filled (LDAM's maxM, focal's gamma) ...
    expect(expanded.runs.map((r) => classification(r).method.options)).toEqual([{ maxM: 0.5, s: 1 }, {}, { gamma: 1 }]);
    // ... but only what the sweep's configs write counts as swept, not those defaults.
    expect(expanded.sweptKeys).toEqual(['method.loss', 'method.options.s']);
  });

  it('drops grid keys whose values coincide in every run', () => {
    const expanded = expandSweep(spec({ grid: { 'optimizer.lr': [0.2], 'optimizer.momentum': [0.8, 0.9] } }), base);
    expect(expanded.sweptKeys).toEqual(['optimizer.momentum']);
  });

  it('keeps a run once when two points give the same config', () => {
    const runs = expandSweep(spec({ grid: { 'optimizer.lr': [0.1, 0.1, 0.2] } }), base).runs;
    expect(runs.map((r) => r.config.optimizer.lr)).toEqual([0.1, 0.2]);
    expect(runs.map((r) => r.ordinal)).toEqual([0, 1]);
  });

  it('reports every invalid run with its overrides and the field path', () => {
    expect(() => expandSweep(spec({ grid: { 'optimizer.lr': [0.1, -1, 0], epochs: [2] } }), base)).toThrow(
      /2 invalid run\(s\)[\s\S]*lr=-1 epochs=2[\s\S]*optimizer\.lr[\s\S]*lr=0 epochs=2/,
    );
  });

  it('refuses more runs than the limit before expanding, unless the caller raises it', () => {
    const sweep = spec({ grid: { 'optimizer.lr': [0.1, 0.2, 0.3] }, replicates: 2, maxRuns: 5 });
    expect(() => expandSweep(sweep, base)).toThrow(/expands to 6 runs \(3 grid\.optimizer\.lr x 2 seeds\)/);
    expect(expandSweep(sweep, base, { maxRuns: 6 }).runs).toHaveLength(6);
  });

  it('keeps the id of a stored sweep expanded again (sweep resume)', () => {
    const sweep = spec({ grid: { 'optimizer.lr': [0.1, 0.2] } });
    const fresh = expandSweep(sweep, base);
    const resumed = expandSweep(sweep, base, { sweepId: 'demo-0000abcd' });
    expect(resumed.id).toBe('demo-0000abcd');
    expect(resumed.runs.map((r) => r.id)).toEqual(fresh.runs.map((r) => r.id.replace(fresh.id, 'demo-0000abcd')));
  });

  it('lists at most 20 invalid runs and counts the rest', () => {
    const lrs = Array.from({ length: 25 }, (_, i) => -(i + 1));
    const error = (() => {
      try {
        expandSweep(spec({ grid: { 'optimizer.lr': lrs } }), base);
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a failure');
    })();
    expect(error.message).toMatch(/^Sweep 'demo' has 25 invalid run\(s\):/);
    expect(error.message).toContain('lr=-20');
    expect(error.message).not.toContain('lr=-21');
    expect(error.message).toMatch(/\.\.\. and 5 more$/);
  });

  it('rejects bad sweep specs with paths', () => {
    expect(() => spec({ grid: { 'optimizer..lr': [1] } })).toThrow(/grid/);
    expect(() => spec({ random: { count: 1, params: { x: { distribution: 'uniform', min: 2, max: 1 } } } })).toThrow(
      /random\.params\.x\.max/,
    );
    expect(() => spec({ grid: { seed: [1, 2] }, replicates: 2 })).toThrow(/replicates/);
    expect(() => parseOrThrow(sweepSpecSchema, { name: 'Bad Name', base }, 'sweep')).toThrow(/name/);
    expect(() => spec({ grdi: { 'optimizer.lr': [1] } })).toThrow(/grdi: unknown key; did you mean 'grid'\?/);
    expect(() => spec({ replicates: { seed: [1] } })).toThrow(/replicates: must be a count of seeds/);
    expect(() => spec({ base: 3 })).toThrow(/base: must be a run config file/);
  });
});

describe('loadSweepFile', () => {
  it('resolves the base config relative to the sweep file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-sweep-'));
    writeFileSync(join(dir, 'base.yaml'), JSON.stringify(base));
    writeFileSync(join(dir, 'sweep.yaml'), 'name: fromfile\nbase: base.yaml\ngrid:\n  optimizer.lr: [0.1, 0.2]\n');
    const loaded = await loadSweepFile(join(dir, 'sweep.yaml'));
    expect(loaded.expanded.runs.map((r) => r.config.optimizer.lr)).toEqual([0.1, 0.2]);
    writeFileSync(join(dir, 'broken.yaml'), 'name: x\nbase: missing.yaml\n');
    await expect(loadSweepFile(join(dir, 'broken.yaml'))).rejects.toMatchObject({ code: 'DATA.MISSING' });
    writeFileSync(join(dir, 'notyaml.yaml'), 'name: [unclosed\n');
    await expect(loadSweepFile(join(dir, 'notyaml.yaml'))).rejects.toMatchObject({ code: 'CONFIG.INVALID' });
  });
});
