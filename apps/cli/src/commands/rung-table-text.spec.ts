import { rungTable } from '@ltlab/store';
import { describe, expect, it } from 'vitest';
import { rungTableHeading, rungTableRows } from './rung-table-text.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 8) + seconds * 1000);
const objective = { metric: 'test/top1', mode: 'max' as const };

describe('the rung table in words', () => {
  it('lists ASHA rungs with reached, cut-off, promoted and stopped', () => {
    const table = rungTable({ rule: 'asha', gracePeriod: 1, reductionFactor: 2 }, objective, [
      { runId: 'a', epoch: 1, value: 0.5, wallTime: at(0) },
      { runId: 'b', epoch: 1, value: 0.25, wallTime: at(1) },
      { runId: 'a', epoch: 2, value: 0.6, wallTime: at(2) },
    ]);
    expect(rungTableHeading(table)).toBe(
      'early stopping: ASHA, grace period 1, reduction factor 2, on test/top1 (max)',
    );
    expect(rungTableRows(table)).toEqual([
      { rung: 1, reached: 2, 'cut-off': '0.5000', promoted: 1, stopped: 1 },
      { rung: 2, reached: 1, 'cut-off': '-', promoted: 1, stopped: 0 },
    ]);
  });

  it('lists the median rule per epoch', () => {
    const table = rungTable({ rule: 'median', minEpochs: 1, minRuns: 1 }, objective, [
      { runId: 'a', epoch: 1, value: 0.5, wallTime: at(0) },
      { runId: 'b', epoch: 1, value: 0.25, wallTime: at(1) },
    ]);
    expect(rungTableHeading(table)).toBe(
      'early stopping: median rule from epoch 1 with at least 1 other runs, on test/top1 (max)',
    );
    expect(rungTableRows(table)).toEqual([{ epoch: 1, reached: 2, median: '0.3750', stopped: 1 }]);
  });
});
