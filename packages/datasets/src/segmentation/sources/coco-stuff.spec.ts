import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../__fixtures__/files.js';
import { imageFromLabel, writeLabelPng, writeRgbImage } from '../../__fixtures__/segmentation-files.js';
import { cocoStuffSource, stuffThingMapsLut } from './coco-stuff.js';

const root = tempDir('coco-stuff');
const trainIds = [0, 79, 80, 170, 255, 3];
// The same pixels in the official stuffthingmaps: 0 person, 89 toothbrush, 91 banner, 181 wood, 255, 3 motorcycle.
const raw = [0, 89, 91, 181, 255, 3];

beforeAll(async () => {
  await writeRgbImage(join(root, 'images/train2017/000000000009.jpg'), imageFromLabel([0, 1, 2, 3, 4, 5]), 2, 3);
  await writeLabelPng(join(root, 'annotations/train2017/000000000009_labelTrainIds.png'), trainIds, 2, 3);
  await writeLabelPng(join(root, 'annotations/train2017/000000000009.png'), raw, 2, 3);
});

describe('cocoStuffSource', () => {
  it('reads mmseg-converted *_labelTrainIds.png (171 classes)', async () => {
    const source = cocoStuffSource({ root });
    expect([source.size, source.numClasses]).toEqual([1, 171]);
    expect(source.ref.labelPaths[0]).toBe(join(root, 'annotations/train2017/000000000009_labelTrainIds.png'));
    expect(Array.from((await source.load(0)).label.data)).toEqual(trainIds);
  });

  it('maps the official stuffthingmaps to the same train ids, skipping converted files', async () => {
    const source = cocoStuffSource({ root, labels: 'stuffthingmaps' });
    expect(source.ref.labelPaths).toEqual([join(root, 'annotations/train2017/000000000009.png')]);
    expect(Array.from((await source.load(0)).label.data)).toEqual(trainIds);
  });

  it('has the 182 -> 171 table of mmseg: unused thing ids are ignored, 182+ invalid', () => {
    const lut = stuffThingMapsLut();
    expect([lut[10], lut[11], lut[12], lut[25], lut[26], lut[90], lut[91], lut[181]]).toEqual([
      10, 255, 11, 255, 24, 255, 80, 170,
    ]);
    expect([lut[182], lut[254], lut[255]]).toEqual([-1, -1, 255]);
    const used = Array.from(lut).filter((v) => v >= 0 && v < 255);
    expect(new Set(used).size).toBe(171);
  });
});
