import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../__fixtures__/files.js';
import { imageFromLabel, writeLabelPng, writeRgbImage } from '../../__fixtures__/segmentation-files.js';
import { cityscapesSource } from './cityscapes.js';

const root = tempDir('cityscapes');
const ids = [0, 1, 18, 255, 13, 13];

beforeAll(async () => {
  for (const [city, frame] of [
    ['zurich', 'zurich_000001_000019'],
    ['aachen', 'aachen_000000_000019'],
  ] as const) {
    await writeRgbImage(join(root, `leftImg8bit/train/${city}/${frame}_leftImg8bit.png`), imageFromLabel(ids), 2, 3);
    await writeLabelPng(join(root, `gtFine/train/${city}/${frame}_gtFine_labelTrainIds.png`), ids, 2, 3);
    // The other gtFine files of the download sit next to the train ids and are not label maps of train ids.
    await writeLabelPng(join(root, `gtFine/train/${city}/${frame}_gtFine_labelIds.png`), [7, 8, 33, 0, 26, 26], 2, 3);
  }
});

describe('cityscapesSource', () => {
  it('pairs leftImg8bit with gtFine *_labelTrainIds.png across city folders', async () => {
    const train = cityscapesSource({ root });
    expect([train.size, train.numClasses]).toEqual([2, 19]);
    expect(train.ref.labelPaths.map((p) => p.slice(root.length))).toEqual([
      '/gtFine/train/aachen/aachen_000000_000019_gtFine_labelTrainIds.png',
      '/gtFine/train/zurich/zurich_000001_000019_gtFine_labelTrainIds.png',
    ]);
    const { image, label } = await train.load(1);
    expect(Array.from(label.data)).toEqual(ids);
    // PNG images decode exactly.
    expect(Array.from(image.data)).toEqual(Array.from(imageFromLabel(ids)));
  });

  it('rejects train ids of 19 and above, and a missing split', async () => {
    const bad = tempDir('cityscapes-bad');
    await writeRgbImage(join(bad, 'leftImg8bit/val/bonn/bonn_0_0_leftImg8bit.png'), imageFromLabel(ids), 2, 3);
    await writeLabelPng(join(bad, 'gtFine/val/bonn/bonn_0_0_gtFine_labelTrainIds.png'), [0, 1, 19, 0, 0, 0], 2, 3);
    await expect(cityscapesSource({ root: bad, split: 'val' }).load(0)).rejects.toMatchObject({
      code: 'DATA.CORRUPT',
      message: expect.stringContaining('has value 19 at row 0, column 2; this dataset allows 0-18, 255'),
    });
    expect(() => cityscapesSource({ root: bad })).toThrow(
      expect.objectContaining({ code: 'DATA.MISSING', fix: expect.stringContaining('_gtFine_labelTrainIds.png') }),
    );
  });
});
