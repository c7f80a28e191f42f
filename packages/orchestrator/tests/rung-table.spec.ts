import { type ObjectivePoint, replayStops, rungTable } from '@ltlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SweepGuard } from '../src/early-stopping/sweep-guard.js';
import type { EarlyStopping } from '../src/sweep/sweep-spec.js';
import { createTestBed, type TestBed } from './helpers.js';

/** A seeded stream of reports: runs progressing epoch by epoch, interleaved as workers would send them. */
function reportStream(
  seed: number,
  runs: number,
  epochs: number,
): Array<{ runId: string; epoch: number; value: number }> {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const quality = Array.from({ length: runs }, () => random());
  const next = Array.from({ length: runs }, () => 1);
  const stream: Array<{ runId: string; epoch: number; value: number }> = [];
  while (next.some((epoch) => epoch <= epochs)) {
    const open = next.flatMap((epoch, run) => (epoch <= epochs ? [run] : []));
    const run = open[Math.floor(random() * open.length)] as number;
    const epoch = next[run] as number;
    next[run] = epoch + 1;
    // Values rise with epochs around a run's own quality, with noise, so ranks change on the way.
    stream.push({ runId: `r${run}`, epoch, value: (quality[run] as number) * (1 - 0.5 / epoch) + random() * 0.1 });
  }
  return stream;
}

/**
 * The rung table must say what the workers' rule decided: the same reports go through SweepGuard
 * (real Redis, as workers use it, the rules of @ltlab/metrics deciding) and, as recorded points,
 * through the store's replay; the stops agree report by report.
 */
describe('the rung table agrees with SweepGuard', () => {
  let bed: TestBed;
  let guard: SweepGuard;
  beforeAll(async () => {
    bed = await createTestBed('rung-table');
    guard = new SweepGuard(bed.redis, bed.settings.prefix);
  });
  afterAll(async () => {
    await bed.cleanup();
  });

  const cases: Array<[string, EarlyStopping, 'max' | 'min', number]> = [
    ['ASHA eta 3', { rule: 'asha', gracePeriod: 1, reductionFactor: 3 }, 'max', 1],
    ['ASHA eta 2, grace 2, min', { rule: 'asha', gracePeriod: 2, reductionFactor: 2 }, 'min', 2],
    ['median rule', { rule: 'median', minEpochs: 2, minRuns: 3 }, 'max', 3],
    ['median rule, min', { rule: 'median', minEpochs: 3, minRuns: 2 }, 'min', 4],
  ];
  it.each(cases)('%s', async (name, rule, mode, seed) => {
    const sweepId = `sweep-${seed}`;
    const stream = reportStream(seed, 12, 9);
    const decided: Array<{ runId: string; epoch: number }> = [];
    const stoppedRuns = new Set<string>();
    const points: ObjectivePoint[] = [];
    for (const [index, report] of stream.entries()) {
      const decision = await guard.report(sweepId, report.runId, report.epoch, report.value, rule, mode);
      // A worker acts on a run's first stop only (worker-supervisor.ts).
      if (decision.stop && !stoppedRuns.has(report.runId)) {
        stoppedRuns.add(report.runId);
        decided.push({ runId: report.runId, epoch: report.epoch });
      }
      points.push({ ...report, wallTime: new Date(Date.UTC(2026, 11, 8) + index * 1000) });
    }
    expect(decided.length, `${name}: the stream should stop some runs`).toBeGreaterThan(0);
    expect(replayStops(rule, mode, points)).toEqual(decided);
    const table = rungTable(rule, { metric: 'val/top1', mode }, points);
    const listed = table.rule === 'asha' ? table.rungs : table.epochs;
    expect(listed.flatMap((row) => row.stopped.map((runId) => ({ runId, epoch: row.epoch })))).toEqual(
      [...decided].sort((a, b) => a.epoch - b.epoch),
    );
  });
});
