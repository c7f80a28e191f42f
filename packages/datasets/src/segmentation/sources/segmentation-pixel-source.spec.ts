import { describe, expect, it } from 'vitest';
import { SegmentationPixelSource } from './segmentation-pixel-source.js';

describe('SegmentationPixelSource', () => {
  const images = Uint8Array.from({ length: 3 * 2 * 2 * 3 }, (_, i) => i);
  const labels = Uint8Array.from([0, 1, 1, 0, 2, 2, 255, 2, 0, 0, 0, 1]);
  const source = SegmentationPixelSource.fromArrays(
    images,
    labels,
    { count: 3, height: 2, width: 2, channels: 3 },
    { numClasses: 3, description: 'toy canvases' },
  );

  it('copies the arrays into shared memory and serves views of each pair', async () => {
    expect(source.ref.images.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(source.ref.labels.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(source.size).toBe(3);
    const second = source.get(1);
    expect(Array.from(second.image.data)).toEqual(Array.from(images.subarray(12, 24)));
    expect(Array.from(second.label.data)).toEqual([2, 2, 255, 2]);
    expect(Array.from((await source.loadLabel(2)).data)).toEqual([0, 0, 0, 1]);
  });

  it('subsets share the arrays and keep the order', async () => {
    const subset = source.subset([2, 2, 0]);
    expect(subset.ref.images).toBe(source.ref.images);
    expect(Array.from((await subset.load(0)).label.data)).toEqual([0, 0, 0, 1]);
    expect(Array.from((await subset.load(2)).label.data)).toEqual([0, 1, 1, 0]);
  });

  it('rejects label values that are neither classes nor the ignore index', () => {
    expect(() =>
      SegmentationPixelSource.fromArrays(
        new Uint8Array(4),
        Uint8Array.from([0, 3, 0, 0]),
        { count: 1, height: 2, width: 2, channels: 1 },
        { numClasses: 3, description: 'bad' },
      ),
    ).toThrow(/label value 3 in image 0/);
  });
});
