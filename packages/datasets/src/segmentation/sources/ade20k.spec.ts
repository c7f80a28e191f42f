import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../__fixtures__/files.js';
import { imageFromLabel, writeLabelPng, writeRgbImage } from '../../__fixtures__/segmentation-files.js';
import { ade20kSource } from './ade20k.js';

const root = tempDir('ade20k');
// Stored ADE20K values: 0 = "other" (ignored), 1..150 = classes 0..149.
const first = [0, 1, 2, 150, 1, 1, 5, 5, 0, 150, 2, 2];
const second = [3, 3, 3, 3, 4, 4];

beforeAll(async () => {
  await writeRgbImage(join(root, 'images/training/ADE_train_00000002.jpg'), imageFromLabel(second), 2, 3);
  await writeLabelPng(join(root, 'annotations/training/ADE_train_00000002.png'), second, 2, 3);
  await writeRgbImage(join(root, 'images/training/ADE_train_00000001.jpg'), imageFromLabel(first), 3, 4);
  await writeLabelPng(join(root, 'annotations/training/ADE_train_00000001.png'), first, 3, 4);
  await writeRgbImage(join(root, 'images/validation/ADE_val_00000001.jpg'), imageFromLabel(second), 2, 3);
  await writeLabelPng(join(root, 'annotations/validation/ADE_val_00000001.png'), second, 2, 3);
});

describe('ade20kSource', () => {
  it('pairs images/<split>/*.jpg with annotations/<split>/*.png, 150 named classes', () => {
    const train = ade20kSource({ root });
    expect(train.size).toBe(2);
    expect(train.numClasses).toBe(150);
    expect(train.classNames?.[0]).toBe('wall');
    expect(train.ref.imagePaths.map((p) => p.slice(root.length))).toEqual([
      '/images/training/ADE_train_00000001.jpg',
      '/images/training/ADE_train_00000002.jpg',
    ]);
    expect(train.statsCacheFile).toBe(join(root, '.ltlab', 'image-class-counts.ade20k-training.json'));
    expect(ade20kSource({ root, split: 'validation' }).size).toBe(1);
  });

  it('loads an RGB image and its label map with reduce-zero-label applied', async () => {
    const { image, label } = await ade20kSource({ root }).load(0);
    expect([image.height, image.width, image.channels]).toEqual([3, 4, 3]);
    expect([label.height, label.width]).toEqual([3, 4]);
    expect(Array.from(label.data)).toEqual([255, 0, 1, 149, 0, 0, 4, 4, 255, 149, 1, 1]);
  });

  it('fails naming the file: label size differs, value out of range, unreadable JPEG', async () => {
    const bad = tempDir('ade20k-bad');
    await writeRgbImage(join(bad, 'images/training/a.jpg'), imageFromLabel(second), 2, 3);
    await writeLabelPng(join(bad, 'annotations/training/a.png'), [1, 2, 3, 4, 5, 6, 7, 8], 2, 4);
    await writeRgbImage(join(bad, 'images/training/b.jpg'), imageFromLabel(second), 2, 3);
    await writeLabelPng(join(bad, 'annotations/training/b.png'), [1, 2, 151, 4, 5, 6], 2, 3);
    writeFileSync(join(bad, 'images/training/c.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]));
    await writeLabelPng(join(bad, 'annotations/training/c.png'), second, 2, 3);
    const source = ade20kSource({ root: bad });
    await expect(source.load(0)).rejects.toMatchObject({
      code: 'DATA.CORRUPT',
      message: expect.stringMatching(/a\.png is 4x2 \(width x height\) but its image .*a\.jpg is 3x2 \(sample 0\)/),
    });
    await expect(source.load(1)).rejects.toMatchObject({
      code: 'DATA.CORRUPT',
      message: expect.stringMatching(
        /b\.png \(sample 1\) has value 151 at row 0, column 2; this dataset allows 0-150, 255/,
      ),
    });
    await expect(source.load(2)).rejects.toMatchObject({
      code: 'DATA.CORRUPT',
      message: expect.stringMatching(/Cannot decode image .*c\.jpg \(sample 2\)/),
    });
  });

  it('refuses an image without its annotation', async () => {
    const missing = tempDir('ade20k-missing');
    await writeRgbImage(join(missing, 'images/training/a.jpg'), imageFromLabel(second), 2, 3);
    await writeLabelPng(join(missing, 'annotations/training/b.png'), second, 2, 3);
    expect(() => ade20kSource({ root: missing })).toThrow(
      expect.objectContaining({ code: 'DATA.MISSING', message: expect.stringMatching(/a\.jpg has no label map/) }),
    );
    expect(() => ade20kSource({ root: join(missing, 'nowhere') })).toThrow(
      expect.objectContaining({ code: 'DATA.MISSING', fix: expect.stringContaining('ADEChallengeData2016') }),
    );
    expect(() => ade20kSource({ root: missing, split: 'test' as 'training' })).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID' }),
    );
  });
});
