import { LtlabError, Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { PixelConfusion } from './pixel-confusion.js';

function thrown(fn: () => unknown): LtlabError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LtlabError) return error;
    throw error;
  }
  throw new Error('expected an LtlabError');
}

describe('PixelConfusion', () => {
  // 3 classes; pixel 3 is ignored (its prediction 0 must count nowhere).
  const labels = new Uint8Array([0, 0, 1, 255, 2, 2]);
  const predictions = new Int32Array([0, 1, 1, 0, 2, 0]);

  it('counts rows = label, columns = prediction and skips ignored pixels', () => {
    const cm = new PixelConfusion({ numClasses: 3 }).add(predictions, labels);
    // (0,0) (0,1) | (1,1) | (2,0) (2,2)
    expect(Array.from(cm.counts)).toEqual([1, 1, 0, 0, 1, 0, 1, 0, 1]);
    expect(cm.count(2, 0)).toBe(1);
    expect(cm.ignoredPixels).toBe(1);
    expect(cm.countedPixels).toBe(5);
    expect(cm.ignoreIndex).toBe(255);
  });

  it('accumulates batches to the same matrix as the whole set at once', () => {
    const rng = new Rng('pixel-confusion-batches');
    const numClasses = 5;
    const size = 3 * 7 * 11;
    const y = Int32Array.from({ length: size }, () => (rng.bernoulli(0.1) ? 255 : rng.int(0, numClasses)));
    const p = Int32Array.from({ length: size }, () => rng.int(0, numClasses));
    const whole = new PixelConfusion({ numClasses }).add(p, y);
    const batched = new PixelConfusion({ numClasses });
    // Uneven batches, as a last partial batch gives.
    for (const [start, end] of [
      [0, 77],
      [77, 154],
      [154, 200],
      [200, size],
    ] as const) {
      batched.add(p.subarray(start, end), y.subarray(start, end));
    }
    expect(Array.from(batched.counts)).toEqual(Array.from(whole.counts));
    expect(batched.ignoredPixels).toBe(whole.ignoredPixels);
    expect(whole.countedPixels + whole.ignoredPixels).toBe(size);
    // Two workers' halves, merged.
    const left = new PixelConfusion({ numClasses }).add(p.subarray(0, 100), y.subarray(0, 100));
    const right = new PixelConfusion({ numClasses }).add(p.subarray(100), y.subarray(100));
    expect(Array.from(left.merge(right).counts)).toEqual(Array.from(whole.counts));
    expect(left.ignoredPixels).toBe(whole.ignoredPixels);
  });

  it('reads tensors through dataSync or data() and checks their shapes', async () => {
    const asTensor = (values: number[], shape: number[]) => ({ shape, dataSync: () => Int32Array.from(values) });
    const asAsyncTensor = (values: number[], shape: number[]) => ({ shape, data: async () => Int32Array.from(values) });
    const cm = new PixelConfusion({ numClasses: 3 });
    cm.add(asTensor(Array.from(predictions), [1, 2, 3]), asTensor(Array.from(labels), [1, 2, 3]));
    await cm.addAsync(asAsyncTensor(Array.from(predictions), [1, 2, 3]), labels);
    expect(Array.from(cm.counts)).toEqual([2, 2, 0, 0, 2, 0, 2, 0, 2]);
    expect(cm.ignoredPixels).toBe(2);
    // Same number of pixels, different layout: the logits were not resized to the label size.
    const error = thrown(() =>
      cm.add(asTensor(Array.from(predictions), [1, 3, 2]), asTensor(Array.from(labels), [1, 2, 3])),
    );
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.message).toMatch(/shape \[1, 3, 2\].*shape \[1, 2, 3\]/);
    expect(() => cm.add([0, 1], [0, 1, 2])).toThrow(/2 pixels.*3 pixels/);
  });

  it('rejects a label outside 0..C-1 other than the ignore index with DATA.CORRUPT, leaving the counts unchanged', () => {
    const cm = new PixelConfusion({ numClasses: 3 }).add(predictions, labels);
    const before = Array.from(cm.counts);
    for (const bad of [3, -1, 1.5, 254]) {
      const error = thrown(() => cm.add([0, 0, 0], [0, bad, 1], { what: 'val image ADE_val_00000012.png' }));
      expect(error.code).toBe('DATA.CORRUPT');
      expect(error.message).toContain(`ADE_val_00000012.png: label ${bad} at pixel 1`);
      expect(error.details).toMatchObject({ pixel: 1, label: bad, numClasses: 3, ignoreIndex: 255 });
    }
    expect(Array.from(cm.counts)).toEqual(before);
    expect(cm.ignoredPixels).toBe(1);
  });

  it('rejects a prediction that is not a class id, even on an ignored pixel', () => {
    const cm = new PixelConfusion({ numClasses: 3 });
    expect(thrown(() => cm.add([0, 3], [0, 1])).code).toBe('CONFIG.INVALID');
    expect(() => cm.add([0, 255], [0, 255])).toThrow(/prediction 255 at pixel 1/);
    expect(cm.countedPixels).toBe(0);
  });

  it('takes another ignore index, outside the class ids only', () => {
    const cm = new PixelConfusion({ numClasses: 2, ignoreIndex: -1 }).add([1, 0], [-1, 0]);
    expect(Array.from(cm.counts)).toEqual([1, 0, 0, 0]);
    expect(cm.ignoredPixels).toBe(1);
    // 255 is an ordinary (bad) label once the ignore index is -1.
    expect(thrown(() => cm.add([0], [255])).code).toBe('DATA.CORRUPT');
    expect(() => new PixelConfusion({ numClasses: 2, ignoreIndex: 1 })).toThrow(/ignoreIndex 1 is a class id/);
    expect(() => new PixelConfusion({ numClasses: 0 })).toThrow(/positive integer/);
  });

  it('merges only accumulators of the same classes and ignore index', () => {
    const a = new PixelConfusion({ numClasses: 3 });
    expect(() => a.merge(new PixelConfusion({ numClasses: 4 }))).toThrow(/4-class confusion/);
    expect(() => a.merge(new PixelConfusion({ numClasses: 3, ignoreIndex: -1 }))).toThrow(/ignore -1/);
  });
});
