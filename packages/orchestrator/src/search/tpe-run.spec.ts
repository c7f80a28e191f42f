import { classificationConfigOf } from '@ltlab/config';
import { parseOrThrow } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { expandSweep } from '../sweep/expand-sweep.js';
import { sweepConfigProblems } from '../sweep/sweep-config-paths.js';
import { sweepSize } from '../sweep/sweep-size.js';
import { sweepSpecSchema } from '../sweep/sweep-spec.js';
import { isTpeSweep, planTpeRun, type TpeSweepSpec, tpeFixedPrefix, tpeRunId } from './tpe-run.js';

const base = {
  data: { source: 'fashion-mnist', longTail: { imbalanceFactor: 100, imgMax: 1000 } },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.1 },
  epochs: 2,
  batchSize: 64,
};

const params = {
  'optimizer.lr': { distribution: 'log-uniform', min: 0.001, max: 0.5 },
  'optimizer.momentum': { distribution: 'uniform', min: 0.5, max: 0.95 },
};

const parse = (raw: Record<string, unknown>) =>
  parseOrThrow(sweepSpecSchema, { name: 'tpe-demo', base, ...raw }, 'sweep');

function tpeSpec(raw: Record<string, unknown> = {}): TpeSweepSpec {
  const spec = parse({
    tpe: { count: 6, startup: 3, params },
    objective: { metric: 'test/top1', mode: 'max' },
    ...raw,
  });
  if (!isTpeSweep(spec)) throw new Error('not a tpe sweep');
  return spec;
}

describe('the tpe: section of a sweep file', () => {
  it("fills Optuna's defaults", () => {
    expect(parse({ tpe: { count: 30, params } }).tpe).toEqual({
      count: 30,
      seed: 0,
      startup: 10,
      candidates: 24,
      priorWeight: 1,
      multivariate: false,
      params,
    });
  });

  it('refuses what a single search cannot do, each at its path', () => {
    const problems = (raw: Record<string, unknown>) => {
      try {
        parse(raw);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problems({ tpe: { count: 4, params }, random: { count: 4, params } })).toMatch(
      /tpe: cannot be combined with random:/,
    );
    expect(problems({ tpe: { count: 4, params }, grid: { 'optimizer.lr': [0.1] } })).toMatch(
      /tpe\.params\.optimizer\.lr: is also a grid key/,
    );
    expect(problems({ tpe: { count: 4, params }, grid: { epochs: [1, 2] } })).toMatch(
      /grid\.epochs: a tpe sweep takes one value/,
    );
    expect(problems({ tpe: { count: 4, params }, replicates: 2 })).toMatch(/replicates: cannot be combined with tpe:/);
    expect(
      problems({
        tpe: { count: 4, params },
        variants: [
          { name: 'a', set: { epochs: 1 } },
          { name: 'b', set: { epochs: 2 } },
        ],
      }),
    ).toMatch(/variants: a tpe sweep takes at most one variant/);
    expect(problems({ tpe: { count: 4, params: {} } })).toMatch(/tpe\.params: must name at least one parameter/);
    expect(problems({ tpe: { count: 4, params, startp: 3 } })).toMatch(/startp/);
    expect(problems({ tpe: { count: 4, params, seed: 1 }, grid: { epochs: [3] } })).toBe('');
  });

  it('is counted by its suggestions and checked against the run config', () => {
    expect(sweepSize(tpeSpec()).factors).toEqual(['6 tpe suggestions']);
    const misspelt = parse({
      tpe: { count: 2, params: { 'optimizer.lrr': { distribution: 'uniform', min: 0, max: 1 } } },
    });
    expect(sweepConfigProblems(misspelt, base)).toEqual([
      expect.stringMatching(/^tpe\.params\.optimizer\.lrr: the run config has no 'optimizer\.lrr'/),
    ]);
  });
});

describe('planTpeRun', () => {
  it('makes start-up draws into runs with the fixed values under them', () => {
    const spec = tpeSpec({ variants: [{ name: 'sgd8', set: { epochs: 8 } }], grid: { batchSize: [32] } });
    const plan = planTpeRun(spec, base, 'sw', 0, []);
    expect(plan.id).toBe(tpeRunId('sw', 0));
    expect(plan.id).toBe('sw-tpe000');
    expect(plan.problem).toBeNull();
    const config = classificationConfigOf(plan.config as NonNullable<typeof plan.config>);
    expect(config.epochs).toBe(8);
    expect(config.batchSize).toBe(32);
    expect(config.optimizer.lr).toBe(plan.overrides['optimizer.lr']);
    expect(plan.label).toMatch(/^sgd8 tpe-startup #0 lr=\S+ momentum=\S+$/);
    expect(plan.suggestion).toEqual({ algorithm: 'tpe-startup', index: 0, conditionedOn: 0 });
  });

  it('conditions later suggestions on the results and says on how many', () => {
    const spec = tpeSpec();
    const results = [0, 1, 2].map((index) => {
      const plan = planTpeRun(spec, base, 'sw', index, []);
      return { index, params: plan.overrides, value: index / 10 };
    });
    const plan = planTpeRun(spec, base, 'sw', 3, results);
    expect(plan.suggestion).toEqual({ algorithm: 'tpe', index: 3, conditionedOn: 3 });
    expect(plan.label).toMatch(/^tpe #3 \(3 results\) lr=/);
    expect(planTpeRun(spec, base, 'sw', 3, [...results].reverse())).toEqual(plan);
  });

  it('reports a suggestion that makes an invalid config instead of throwing', () => {
    const spec = tpeSpec({ tpe: { count: 3, params: { epochs: { distribution: 'int', min: -3, max: -1 } } } });
    const plan = planTpeRun(spec, base, 'sw', 0, []);
    expect(plan.config).toBeNull();
    expect(plan.problem).toMatch(/epochs/);
    expect(plan.raw.epochs).toBeLessThan(0);
  });
});

describe('expandSweep of a TPE sweep', () => {
  it('expands only the suggestions no result can change, with the ids the search gives them', () => {
    const spec = tpeSpec();
    const expanded = expandSweep(spec, base);
    expect(expanded.search).toEqual({ algorithm: 'tpe', count: 6 });
    expect(tpeFixedPrefix(spec)).toBe(3);
    expect(expanded.runs.map((run) => run.id)).toEqual([0, 1, 2].map((i) => tpeRunId(expanded.id, i)));
    expect(expanded.runs.map((run) => run.suggestion?.algorithm)).toEqual([
      'tpe-startup',
      'tpe-startup',
      'tpe-startup',
    ]);
    expect(expanded.runs[1]?.config).toEqual(planTpeRun(spec, base, expanded.id, 1, []).config);
    expect(expanded.sweptKeys).toEqual(['optimizer.lr', 'optimizer.momentum']);
    // startup 0: the first suggestion still depends on nothing.
    expect(expandSweep(tpeSpec({ tpe: { count: 6, startup: 0, params } }), base).runs).toHaveLength(1);
  });

  it('refuses a space whose start-up draws make invalid configs', () => {
    const spec = tpeSpec({ tpe: { count: 3, params: { epochs: { distribution: 'int', min: -3, max: -1 } } } });
    expect(() => expandSweep(spec, base)).toThrow(/3 invalid run\(s\)/);
  });
});
