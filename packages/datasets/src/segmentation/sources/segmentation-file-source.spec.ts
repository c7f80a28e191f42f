import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainIdLut } from '../label-lut.js';
import { SegmentationFileSource, statsCachePath } from './segmentation-file-source.js';

describe('SegmentationFileSource', () => {
  const source = new SegmentationFileSource(
    ['/d/a.jpg', '/d/b.jpg', '/d/c.jpg'],
    ['/d/a.png', '/d/b.png', '/d/c.png'],
    {
      numClasses: 2,
      classNames: ['x', 'y'],
      labelLut: trainIdLut(2),
      description: 'three pairs',
      root: '/d',
      statsCacheFile: statsCachePath('/d', 'toy'),
    },
  );

  it('keeps pairs together in subsets, in the given order', () => {
    const subset = source.subset([2, 0]);
    expect(subset.ref.imagePaths).toEqual(['/d/c.jpg', '/d/a.jpg']);
    expect(subset.ref.labelPaths).toEqual(['/d/c.png', '/d/a.png']);
    expect([subset.size, subset.numClasses, subset.description]).toEqual([2, 2, 'subset of three pairs']);
    expect(subset.statsCacheFile).toBe(join('/d', '.ltlab', 'image-class-counts.toy.json'));
    expect(() => source.subset([3])).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
  });

  it('refuses mismatched path lists and class names', () => {
    const options = {
      numClasses: 2,
      labelLut: trainIdLut(2),
      description: 'bad',
      root: '/d',
      statsCacheFile: undefined,
    };
    expect(() => new SegmentationFileSource(['/a'], [], options)).toThrow(
      expect.objectContaining({ code: 'INTERNAL' }),
    );
    expect(() => new SegmentationFileSource([], [], { ...options, classNames: ['only one'] })).toThrow(
      expect.objectContaining({ code: 'INTERNAL' }),
    );
  });
});
