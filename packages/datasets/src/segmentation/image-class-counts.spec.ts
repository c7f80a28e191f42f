import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../__fixtures__/files.js';
import { imageFromLabel, writeLabelPng, writeRgbImage } from '../__fixtures__/segmentation-files.js';
import { classesPresent, imageClassCounts } from './image-class-counts.js';
import { trainIdLut } from './label-lut.js';
import { ade20kSource } from './sources/ade20k.js';
import { SegmentationFileSource } from './sources/segmentation-file-source.js';
import { SegmentationPixelSource } from './sources/segmentation-pixel-source.js';

describe('classesPresent', () => {
  it('flags each class once, skipping the ignore index and values beyond the classes', () => {
    const present = classesPresent({ data: Uint8Array.from([2, 2, 255, 0, 2, 7]), height: 2, width: 3 }, 4);
    expect(Array.from(present)).toEqual([1, 0, 1, 0]);
  });
});

describe('imageClassCounts', () => {
  it('counts images containing each class in memory (no cache)', async () => {
    const source = SegmentationPixelSource.fromArrays(
      new Uint8Array(12),
      Uint8Array.from([0, 1, 1, 0, 2, 2, 255, 2, 0, 0, 0, 1]),
      { count: 3, height: 2, width: 2, channels: 1 },
      { numClasses: 4, description: 'toy' },
    );
    const result = await imageClassCounts(source);
    // Image 0 has {0, 1}, image 1 has {2} (and ignored pixels), image 2 has {0, 1}; class 3 is in none.
    expect(Array.from(result.counts)).toEqual([2, 2, 1, 0]);
    expect([result.images, result.cache, result.cacheFile, result.fingerprint]).toEqual([3, 'off', null, null]);
  });

  describe('on files, cached next to the data', () => {
    const root = tempDir('class-counts');
    // Stored ADE20K values (0 is ignored, v is class v - 1).
    const maps = [
      [1, 1, 2, 0],
      [3, 3, 3, 3],
      [0, 0, 0, 0],
      [2, 150, 2, 1],
    ];
    beforeAll(async () => {
      for (const [k, map] of maps.entries()) {
        await writeRgbImage(join(root, `images/training/${k}.jpg`), imageFromLabel([1, 2, 3, 4]), 2, 2);
        await writeLabelPng(join(root, `annotations/training/${k}.png`), map, 2, 2);
      }
    });

    it('computes once, then reads the cache; a new file list is counted again', async () => {
      const expected = new Array(150).fill(0);
      Object.assign(expected, { 0: 2, 1: 2, 2: 1, 149: 1 });
      const progress: number[] = [];
      const first = await imageClassCounts(ade20kSource({ root }), { onProgress: (done) => progress.push(done) });
      expect(Array.from(first.counts)).toEqual(expected);
      expect([first.cache, first.cacheFile, first.images]).toEqual([
        'written',
        join(root, '.ltlab', 'image-class-counts.ade20k-training.json'),
        4,
      ]);
      expect(progress.sort()).toEqual([1, 2, 3, 4]);

      // Proof that the second call reads the file: doctor the cached counts and get them back.
      const cacheFile = first.cacheFile as string;
      const stored = JSON.parse(readFileSync(cacheFile, 'utf8'));
      expect(Object.keys(stored.entries)).toEqual([first.fingerprint]);
      stored.entries[first.fingerprint as string].counts[5] = 42;
      writeFileSync(cacheFile, JSON.stringify(stored));
      const second = await imageClassCounts(ade20kSource({ root }));
      expect([second.cache, second.counts[5], second.fingerprint]).toEqual(['hit', 42, first.fingerprint]);

      // A subset is another file list: counted, and kept beside the full set's entry.
      const subset = await imageClassCounts(ade20kSource({ root }).subset([1, 3]));
      expect(subset.cache).toBe('written');
      expect([subset.counts[0], subset.counts[1], subset.counts[2], subset.counts[149]]).toEqual([1, 1, 1, 1]);
      expect(Object.keys(JSON.parse(readFileSync(cacheFile, 'utf8')).entries).sort()).toEqual(
        [first.fingerprint, subset.fingerprint].sort(),
      );

      // A new pair changes the fingerprint: the counts are computed again.
      await writeRgbImage(join(root, 'images/training/9.jpg'), imageFromLabel([1, 2, 3, 4]), 2, 2);
      await writeLabelPng(join(root, 'annotations/training/9.png'), [5, 5, 5, 5], 2, 2);
      const third = await imageClassCounts(ade20kSource({ root }));
      expect(third.cache).toBe('written');
      expect(third.fingerprint).not.toBe(first.fingerprint);
      expect([third.counts[4], third.counts[5]]).toEqual([1, 0]);
    });

    it('recomputes over a damaged cache, and works without one or where it cannot write', async () => {
      const cacheFile = join(root, 'elsewhere', 'counts.json');
      const source = ade20kSource({ root });
      const written = await imageClassCounts(source, { cacheFile });
      writeFileSync(cacheFile, '{ not json');
      const repaired = await imageClassCounts(source, { cacheFile });
      expect([written.cache, repaired.cache]).toEqual(['written', 'written']);
      expect(Array.from(repaired.counts)).toEqual(Array.from(written.counts));
      const off = await imageClassCounts(source, { cacheFile: null });
      expect([off.cache, off.cacheFile]).toEqual(['off', null]);
      // A cache path below a regular file cannot be created: counted, not cached, no error.
      const blocked = await imageClassCounts(source, { cacheFile: join(cacheFile, 'sub', 'counts.json') });
      expect([blocked.cache, blocked.cacheFile]).toEqual(['off', null]);
      expect(Array.from(blocked.counts)).toEqual(Array.from(written.counts));
    });

    it('fails with the label decoder error naming a bad file', async () => {
      const bad = tempDir('class-counts-bad');
      await writeLabelPng(join(bad, 'a.png'), [0, 9, 0, 0], 2, 2);
      const source = new SegmentationFileSource([join(bad, 'a.jpg')], [join(bad, 'a.png')], {
        numClasses: 3,
        labelLut: trainIdLut(3),
        description: 'bad',
        root: bad,
        statsCacheFile: undefined,
      });
      await expect(imageClassCounts(source)).rejects.toMatchObject({
        code: 'DATA.CORRUPT',
        message: expect.stringContaining('a.png (sample 0) has value 9'),
      });
    });
  });
});
