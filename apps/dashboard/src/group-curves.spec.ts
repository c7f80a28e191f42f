import { describe, expect, it } from 'vitest';
import { groupCurves } from './group-curves.js';

const pts = (...values: Array<number | [number, number]>) =>
  values.map((v, i) =>
    Array.isArray(v) ? { epoch: v[0], step: i, value: v[1] } : { epoch: i + 1, step: i, value: v },
  );

describe('groupCurves', () => {
  it('gives mean and sample std per epoch over the runs of each group', () => {
    const curves = groupCurves(
      [
        { key: { loss: 'ce', seed: 1 }, points: pts(0.2, 0.4) },
        { key: { loss: 'ce', seed: 2 }, points: pts(0.4, 0.8) },
        { key: { loss: 'ldam', seed: 1 }, points: pts(0.5) },
      ],
      ['loss'],
    );
    expect(curves.map((c) => [c.key, c.n])).toEqual([
      [{ loss: 'ce' }, 2],
      [{ loss: 'ldam' }, 1],
    ]);
    const [ce, ldam] = curves;
    expect(ce?.points.map((p) => p.epoch)).toEqual([1, 2]);
    expect(ce?.points[0]?.mean).toBeCloseTo(0.3, 12);
    expect(ce?.points[0]?.std).toBeCloseTo(Math.SQRT2 * 0.1, 12);
    expect(ce?.points[1]).toMatchObject({ n: 2 });
    expect(ldam?.points).toEqual([{ epoch: 1, mean: 0.5, std: null, n: 1 }]);
  });

  it('takes the last point of an epoch for per-step series, and a missing key as its own value', () => {
    const curves = groupCurves(
      [
        { key: { s: null }, points: pts([1, 9], [1, 1], [2, 3]) },
        { key: {}, points: pts([1, 3], [2, Number.NaN]) },
      ],
      ['s'],
    );
    expect(curves).toHaveLength(1);
    expect(curves[0]?.points).toEqual([
      { epoch: 1, mean: 2, std: Math.SQRT2, n: 2 },
      { epoch: 2, mean: 3, std: null, n: 1 },
    ]);
  });

  it('with no keys, every run is one group', () => {
    expect(
      groupCurves(
        [
          { key: { a: 1 }, points: [] },
          { key: { a: 2 }, points: [] },
        ],
        [],
      ),
    ).toEqual([{ key: {}, n: 2, points: [] }]);
  });
});
