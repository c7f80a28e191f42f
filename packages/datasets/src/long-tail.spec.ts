import { readGolden } from '@ltlab/golden';
import { describe, expect, it } from 'vitest';
import { longTailCounts, longTailSubset } from './long-tail.js';
import { fashionMnist } from './sources/mnist.js';

interface CountsGolden {
  datasets: Record<string, Record<string, { imbalanceRatio: number; counts: number[]; total: number }>>;
}

function golden(): CountsGolden {
  return readGolden('cifar_lt_counts') as CountsGolden;
}

describe('longTailCounts', () => {
  it('matches cifar_lt_counts.json for CIFAR-10/100-LT at every ratio', () => {
    const { datasets } = golden();
    let checked = 0;
    for (const [name, numClasses] of [
      ['cifar10', 10],
      ['cifar100', 100],
    ] as const) {
      for (const entry of Object.values(datasets[name] ?? {})) {
        const counts = longTailCounts({
          numClasses,
          imgMax: 50_000 / numClasses,
          imbalanceFactor: entry.imbalanceRatio,
        });
        expect(Array.from(counts)).toEqual(entry.counts);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(entry.total);
        checked++;
      }
    }
    expect(checked).toBe(6);
  });

  it('builds the step profile and validates its options', () => {
    expect(Array.from(longTailCounts({ numClasses: 5, imgMax: 100, imbalanceFactor: 10, profile: 'step' }))).toEqual([
      100, 100, 10, 10, 10,
    ]);
    expect(() => longTailCounts({ numClasses: 10, imgMax: 500, imbalanceFactor: 0.01 })).toThrow(/imbalanceFactor/);
  });
});

describe('Fashion-MNIST-LT', () => {
  const { train } = fashionMnist();

  it('has the exponential counts at imbalance 100, first class 6000', () => {
    const lt = longTailSubset(train, { imbalanceFactor: 100, seed: 0 });
    const expected = Array.from({ length: 10 }, (_, i) => Math.trunc(6000 * 0.01 ** (i / 9)));
    expect(Array.from(lt.classCounts)).toEqual(expected);
    expect(lt.classCounts[0]).toBe(6000);
    expect(lt.classCounts[9]).toBe(60);
    expect(lt.size).toBe(expected.reduce((a, b) => a + b, 0));
  });

  it('selects deterministically by seed', () => {
    const a = longTailSubset(train, { imbalanceFactor: 10, seed: 1 });
    const b = longTailSubset(train, { imbalanceFactor: 10, seed: 1 });
    const c = longTailSubset(train, { imbalanceFactor: 10, seed: 2 });
    expect(Array.from(a.imageRef.kind === 'pixels' ? a.imageRef.rows : [])).toEqual(
      Array.from(b.imageRef.kind === 'pixels' ? b.imageRef.rows : []),
    );
    expect(Array.from(a.imageRef.kind === 'pixels' ? a.imageRef.rows : [])).not.toEqual(
      Array.from(c.imageRef.kind === 'pixels' ? c.imageRef.rows : []),
    );
    // Every selected image keeps its label.
    const rows = a.imageRef.kind === 'pixels' ? a.imageRef.rows : new Int32Array();
    rows.forEach((row, i) => {
      expect(train.labels[row]).toBe(a.labels[i]);
    });
  });

  it('refuses an imgMax larger than a class', () => {
    expect(() => longTailSubset(train, { imbalanceFactor: 10, imgMax: 7000 })).toThrow(/fewer than the 7000/);
  });
});
