import { describe, expect, it } from 'vitest';
import { encodeParameter } from './encode-parameter.js';

describe('encoding a swept parameter as a forest column', () => {
  it('keeps numbers linear within two decades and puts wider positive spans on log10', () => {
    const linear = encodeParameter([0.1, 0.5, 1, 0.5]);
    expect(linear).toMatchObject({ log: false, levels: 3 });
    expect([...linear.feature.values]).toEqual([0.1, 0.5, 1, 0.5]);
    const wide = encodeParameter([1e-4, 1e-3, 1e-1]);
    expect(wide.log).toBe(true);
    expect([...wide.feature.values].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([-4, -3, -1]);
    // Zero or negative values cannot go on a log scale.
    expect(encodeParameter([0, 1e-4, 1]).log).toBe(false);
  });

  it('marks a run without the leaf as NaN, counted as one more level', () => {
    const encoded = encodeParameter([null, 2, 4, null]);
    expect(encoded.feature.kind).toBe('numeric');
    expect([...encoded.feature.values]).toEqual([Number.NaN, 2, 4, Number.NaN]);
    expect(encoded.levels).toBe(3);
  });

  it('codes strings, booleans and mixes as categories, "no value" included, independent of order', () => {
    const encoded = encodeParameter(['paco', 'ce', null, 'ce']);
    expect(encoded.feature).toMatchObject({ kind: 'categorical', levels: 3 });
    const codes = [...encoded.feature.values];
    expect(codes[1]).toBe(codes[3]);
    expect(new Set(codes).size).toBe(3);
    // The same values in another order get the same codes.
    expect([...encodeParameter(['ce', null, 'paco']).feature.values]).toEqual([codes[1], codes[2], codes[0]]);
    expect(encodeParameter([true, false]).feature.kind).toBe('categorical');
    expect(encodeParameter([1, 'auto']).feature).toMatchObject({ kind: 'categorical', levels: 2 });
  });
});
