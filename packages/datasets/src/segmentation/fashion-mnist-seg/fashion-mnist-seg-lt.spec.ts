import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../__fixtures__/files.js';
import { writeFashionMnistFixture } from '../../__fixtures__/segmentation-files.js';
import { imageClassCounts } from '../image-class-counts.js';
import { FASHION_MNIST_SEG_LT_CLASSES, fashionMnistSegLt } from './fashion-mnist-seg-lt.js';

// 6 training and 3 test pictures per class; class k is a rectangle of value 100 + 10 k.
const dir = tempDir('fmnist-seg');
writeFashionMnistFixture(dir, { train: 6, test: 3 });

const small = { dir, headImages: 100, trainImages: 120, testImages: 30, testImagesPerClass: 6 };

/** The label the fixture's pixel value implies: 0 on black, k + 1 on class k's value. */
function labelOf(value: number): number {
  return value === 0 ? 0 : (value - 100) / 10 + 1;
}

describe('fashionMnistSegLt on a synthetic Fashion-MNIST', () => {
  const built = fashionMnistSegLt(small);

  it('makes image-level item frequencies long-tailed with rho 100 (exp profile) and a balanced test set', async () => {
    // trunc(100 * 0.01^(k/9)) for k = 0..9; background (0) is in every canvas.
    const trainCounts = [100, 59, 35, 21, 12, 7, 4, 2, 1, 1];
    expect(Array.from(built.itemImages.train)).toEqual(trainCounts);
    expect(Array.from((await imageClassCounts(built.train)).counts)).toEqual([120, ...trainCounts]);
    expect(Array.from((await imageClassCounts(built.test)).counts)).toEqual([30, ...new Array(10).fill(6)]);
    expect([built.train.size, built.test.size, built.train.numClasses]).toEqual([120, 30, 11]);
    expect(built.train.classNames).toEqual(FASHION_MNIST_SEG_LT_CLASSES);
    expect(built.train.classNames?.[1]).toBe('T-shirt/top');
  });

  it('labels each pixel with the class of the item whose foreground covers it', () => {
    for (const source of [built.train, built.test]) {
      const { images, labels } = source.ref;
      expect([source.ref.height, source.ref.width, source.ref.channels]).toEqual([64, 64, 1]);
      let foreground = 0;
      let mismatched = 0;
      for (let p = 0; p < labels.length; p++) {
        if (labels[p] !== labelOf(images[p] as number)) mismatched++;
        if (labels[p] !== 0) foreground++;
      }
      expect(mismatched).toBe(0);
      expect(foreground).toBeGreaterThan(labels.length / 20);
    }
  });

  it('draws training canvases from training pictures and reuses pictures only when a class runs out', () => {
    // Class k needs n_k training pictures and has 6: sum of max(0, n_k - 6); each test class needs 6 and has 3.
    expect(built.reusedItems).toEqual({ train: 94 + 53 + 29 + 15 + 6 + 1, test: 30 });
    expect(built.gridCanvases.train + built.gridCanvases.test).toBeLessThan(15);
  });

  it('is byte-identical for a seed and different for another', () => {
    const again = fashionMnistSegLt(small);
    expect(Buffer.from(again.train.ref.images).equals(Buffer.from(built.train.ref.images))).toBe(true);
    expect(Buffer.from(again.train.ref.labels).equals(Buffer.from(built.train.ref.labels))).toBe(true);
    expect(Buffer.from(again.test.ref.images).equals(Buffer.from(built.test.ref.images))).toBe(true);
    const other = fashionMnistSegLt({ ...small, seed: 1 });
    expect(Buffer.from(other.train.ref.images).equals(Buffer.from(built.train.ref.images))).toBe(false);
  });

  it('repeats the gray value for 3 channels', () => {
    const rgb = fashionMnistSegLt({ ...small, channels: 3, trainImages: 110, testImages: 20 });
    const { images, labels } = rgb.train.ref;
    let mismatched = 0;
    for (let p = 0; p < labels.length; p++) {
      const gray = images[p * 3 + 1] as number;
      if (images[p * 3] !== gray || images[p * 3 + 2] !== gray || labels[p] !== labelOf(gray)) mismatched++;
    }
    expect(rgb.train.ref.channels).toBe(3);
    expect(mismatched).toBe(0);
  });

  it('rejects options that cannot make the benchmark', () => {
    expect(() => fashionMnistSegLt({ ...small, headImages: 50 })).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID', fix: expect.stringContaining('at least 100') }),
    );
    expect(() => fashionMnistSegLt({ ...small, canvasSize: 40 })).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID', message: expect.stringContaining('canvasSize') }),
    );
    expect(() => fashionMnistSegLt({ ...small, trainImages: 50 })).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID', fix: expect.stringContaining('between 100 and 242') }),
    );
    expect(() => fashionMnistSegLt({ ...small, dir: join(dir, 'missing') })).toThrow(
      expect.objectContaining({ code: 'DATA.MISSING' }),
    );
  });
});
