import type { CellValue } from '@ltlab/store';

/** One metric series of one run: (epoch, step, value) points as the store keeps them. */
export interface RunSeries {
  key: Record<string, CellValue>;
  points: ReadonlyArray<{ epoch: number; step: number; value: number }>;
}

export interface CurvePoint {
  epoch: number;
  mean: number;
  /** Sample standard deviation (n - 1); null with one run. */
  std: number | null;
  /** Runs with a value at this epoch. */
  n: number;
}

export interface GroupCurve {
  key: Record<string, CellValue>;
  /** Runs in the group, with or without points. */
  n: number;
  points: CurvePoint[];
}

/**
 * Mean ± sample std of a metric per epoch over the runs of each group (the seeds of one
 * configuration). A run counts once per epoch, with its last point of that epoch, so a series
 * logged per step and one logged per epoch aggregate alike. Groups keep their first appearance order.
 */
export function groupCurves(runs: readonly RunSeries[], groupBy: readonly string[]): GroupCurve[] {
  const groups = new Map<string, { key: Record<string, CellValue>; n: number; byEpoch: Map<number, number[]> }>();
  for (const run of runs) {
    const id = JSON.stringify(groupBy.map((k) => run.key[k] ?? null));
    let group = groups.get(id);
    if (group === undefined) {
      group = { key: Object.fromEntries(groupBy.map((k) => [k, run.key[k] ?? null])), n: 0, byEpoch: new Map() };
      groups.set(id, group);
    }
    group.n += 1;
    const last = new Map<number, { step: number; value: number }>();
    for (const p of run.points) {
      const seen = last.get(p.epoch);
      if (Number.isFinite(p.value) && (seen === undefined || p.step >= seen.step))
        last.set(p.epoch, { step: p.step, value: p.value });
    }
    for (const [epoch, { value }] of last) {
      const values = group.byEpoch.get(epoch) ?? [];
      values.push(value);
      group.byEpoch.set(epoch, values);
    }
  }
  return [...groups.values()].map((group) => ({
    key: group.key,
    n: group.n,
    points: [...group.byEpoch.entries()]
      .sort(([a], [b]) => a - b)
      .map(([epoch, values]) => ({ epoch, ...meanStd(values) })),
  }));
}

function meanStd(values: readonly number[]): { mean: number; std: number | null; n: number } {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const std = n < 2 ? null : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return { mean, std, n };
}
