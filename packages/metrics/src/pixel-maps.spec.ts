import { describe, expect, it } from 'vitest';
import {
  checkSamePixels,
  isAsyncPixelTensor,
  isSyncPixelTensor,
  readPixelMap,
  readPixelMapAsync,
} from './pixel-maps.js';

describe('pixel maps', () => {
  const tensor = {
    shape: [2, 2],
    dataSync: () => new Int32Array([0, 1, 2, 3]),
    data: async () => new Int32Array([4, 5, 6, 7]),
  };

  it('tells tensors from arrays by a shape and a read method', () => {
    expect(isSyncPixelTensor(tensor)).toBe(true);
    expect(isAsyncPixelTensor(tensor)).toBe(true);
    expect(isSyncPixelTensor(new Int32Array(4))).toBe(false);
    expect(isSyncPixelTensor({ shape: [4] })).toBe(false);
    expect(isAsyncPixelTensor({ shape: [4], data: [1, 2] })).toBe(false);
    expect(isSyncPixelTensor(null)).toBe(false);
  });

  it('reads arrays as they are and tensors with their shape, data() first when asynchronous', async () => {
    const plain = [1, 2, 3];
    expect(readPixelMap(plain)).toEqual({ values: plain, shape: undefined });
    expect(Array.from(readPixelMap(tensor).values)).toEqual([0, 1, 2, 3]);
    const read = await readPixelMapAsync(tensor);
    expect(Array.from(read.values)).toEqual([4, 5, 6, 7]);
    expect(read.shape).toEqual([2, 2]);
    expect((await readPixelMapAsync(plain)).values).toBe(plain);
  });

  it('accepts maps over the same pixels and names both sizes otherwise', () => {
    const a = { values: [0, 1, 2, 3], shape: [2, 2] };
    expect(() => checkSamePixels(a, { values: [0, 0, 0, 0], shape: undefined }, 'x')).not.toThrow();
    expect(() => checkSamePixels(a, { values: [0, 0, 0, 0], shape: [4] }, 'x')).toThrow(
      /x: the predictions \(shape \[2, 2\]\) and the labels \(shape \[4\]\) cover different pixels/,
    );
    expect(() => checkSamePixels(a, { values: [0], shape: undefined }, 'x')).toThrow(/\(1 pixels\)/);
  });
});
