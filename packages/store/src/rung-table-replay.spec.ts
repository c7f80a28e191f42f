import { describe, expect, it } from 'vitest';
import type { ObjectivePoint } from './rung-table.js';
import { replayStops, rungTable } from './rung-table-replay.js';

/** Reports one second apart, in the order given. */
function reports(...rows: Array<[runId: string, epoch: number, value: number]>): ObjectivePoint[] {
  return rows.map(([runId, epoch, value], index) => ({ runId, epoch, value, wallTime: new Date(1_000 * index) }));
}

const asha = { rule: 'asha' as const, gracePeriod: 1, reductionFactor: 2 };
const median = { rule: 'median' as const, minEpochs: 2, minRuns: 2 };
const max = { metric: 'val/top1', mode: 'max' as const };

describe('rungTable under ASHA', () => {
  // Rungs at 1, 2, 4 (eta 2). a and b arrive first, c beats both, d is worst.
  const points = reports(
    ['a', 1, 0.5],
    ['b', 1, 0.4], // 2 at rung 1, keep 1: 0.4 < 0.5 stops b
    ['c', 1, 0.6], // 3 at rung 1, keep 1: 0.6 is the best, continues
    ['a', 2, 0.55], // alone at rung 2
    ['d', 1, 0.45], // 4 at rung 1, keep 2 (0.6, 0.5): 0.45 stops d
    ['c', 2, 0.7], // 2 at rung 2, keep 1: the best, continues
    ['a', 3, 0.56], // epoch 3 is no rung
    ['a', 4, 0.6],
  );

  it('counts who reached each rung, the cut-off now, and who was promoted or stopped there', () => {
    const table = rungTable(asha, max, points);
    expect(table).toEqual({
      rule: 'asha',
      objective: max,
      gracePeriod: 1,
      reductionFactor: 2,
      rungs: [
        { epoch: 1, reached: 4, cutoff: 0.5, promoted: 2, stopped: ['b', 'd'] },
        { epoch: 2, reached: 2, cutoff: 0.7, promoted: 2, stopped: [] },
        { epoch: 4, reached: 1, cutoff: null, promoted: 1, stopped: [] },
      ],
    });
  });

  it('judges each report against those before it, not against later arrivals', () => {
    // The same values in another order: b first, so a (better) is judged and kept, and b was
    // alone when it arrived, so nothing stops it.
    const reordered = reports(['b', 1, 0.4], ['a', 1, 0.5], ['c', 1, 0.6]);
    expect(replayStops(asha, 'max', reordered)).toEqual([]);
    expect(replayStops(asha, 'max', reports(['a', 1, 0.5], ['b', 1, 0.4], ['c', 1, 0.6]))).toEqual([
      { runId: 'b', epoch: 1 },
    ]);
  });

  it('orders by wall time, whatever order the points are listed in', () => {
    const shuffled = [...points].reverse();
    expect(rungTable(asha, max, shuffled)).toEqual(rungTable(asha, max, points));
  });

  it('respects min mode: lower is better', () => {
    // b arrives second with the higher value: stopped. The other way round nobody is.
    expect(replayStops(asha, 'min', reports(['a', 1, 0.4], ['b', 1, 0.5]))).toEqual([{ runId: 'b', epoch: 1 }]);
    expect(replayStops(asha, 'min', reports(['a', 1, 0.5], ['b', 1, 0.4]))).toEqual([]);
  });

  it('counts only a run first stop: a value it reports after being stopped still reaches the table', () => {
    const table = rungTable(asha, max, reports(['a', 1, 0.9], ['b', 1, 0.1], ['b', 2, 0.05], ['a', 2, 0.95]));
    expect(table.rule === 'asha' && table.rungs).toEqual([
      { epoch: 1, reached: 2, cutoff: 0.9, promoted: 1, stopped: ['b'] },
      // b was already stopped: its late epoch-2 value is seen by a, which it does not stop.
      { epoch: 2, reached: 2, cutoff: 0.95, promoted: 2, stopped: [] },
    ]);
  });
});

describe('rungTable under the median rule', () => {
  const points = reports(
    ['a', 1, 0.5],
    ['b', 1, 0.3],
    ['a', 2, 0.6],
    ['b', 2, 0.7],
    ['c', 1, 0.2],
    ['c', 2, 0.25], // best 0.25 below the median of a (0.6) and b (0.7): stopped
    ['d', 2, 0.9], // above: continues
  );

  it('lists per epoch the median of the best values so far and who was stopped', () => {
    const table = rungTable(median, max, points);
    expect(table).toEqual({
      rule: 'median',
      objective: max,
      minEpochs: 2,
      minRuns: 2,
      epochs: [
        { epoch: 1, reached: 3, median: 0.3, stopped: [] },
        // Best up to epoch 2: a 0.6, b 0.7, c 0.25, d 0.9.
        { epoch: 2, reached: 4, median: (0.6 + 0.7) / 2, stopped: ['c'] },
      ],
    });
  });

  it('waits for minEpochs and minRuns', () => {
    expect(replayStops({ ...median, minEpochs: 3 }, 'max', points)).toEqual([]);
    expect(replayStops({ ...median, minRuns: 4 }, 'max', points)).toEqual([]);
  });

  it('is empty without recorded values', () => {
    expect(rungTable(median, max, [])).toMatchObject({ epochs: [] });
    expect(rungTable(asha, max, [])).toMatchObject({ rungs: [] });
  });
});
