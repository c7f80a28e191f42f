import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../__fixtures__/files.js';
import { writeLabelPng, writeRgbImage } from '../../__fixtures__/segmentation-files.js';
import { trainIdLut } from '../label-lut.js';
import {
  loadSegmentationLabel,
  loadSegmentationSample,
  pixelPair,
  type SegmentationFileRef,
  type SegmentationPixelRef,
} from './segmentation-source.js';

const dir = tempDir('segmentation-ref');

beforeAll(async () => {
  await writeRgbImage(join(dir, 'a.png'), new Uint8Array(2 * 3 * 3).fill(9), 2, 3);
  await writeLabelPng(join(dir, 'a-label.png'), [0, 1, 2, 3, 4, 5], 2, 3);
  await writeLabelPng(join(dir, 'tall-label.png'), [0, 1, 2, 3, 4, 5], 3, 2);
});

describe('segmentation refs', () => {
  const fileRef = (labels: string[]): SegmentationFileRef => ({
    kind: 'segmentation-files',
    imagePaths: labels.map(() => join(dir, 'a.png')),
    labelPaths: labels.map((name) => join(dir, name)),
    labelLut: trainIdLut(6),
  });

  it('decode an image file and its label map', async () => {
    const { image, label } = await loadSegmentationSample(fileRef(['a-label.png']), 0);
    expect([image.height, image.width, image.channels]).toEqual([2, 3, 3]);
    expect(Array.from(label.data)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from((await loadSegmentationLabel(fileRef(['a-label.png']), 0)).data)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('reject a label map whose size differs from its image, naming both files', async () => {
    await expect(loadSegmentationSample(fileRef(['a-label.png', 'tall-label.png']), 1)).rejects.toMatchObject({
      code: 'DATA.CORRUPT',
      message: `Label map ${join(dir, 'tall-label.png')} is 2x3 (width x height) but its image ${join(dir, 'a.png')} is 3x2 (sample 1).`,
      details: { index: 1, image: [2, 3], label: [3, 2] },
    });
  });

  it('read in-memory pairs by row and check indices', async () => {
    const ref: SegmentationPixelRef = {
      kind: 'segmentation-pixels',
      images: Uint8Array.from({ length: 3 * 4 }, (_, i) => i),
      labels: Uint8Array.from({ length: 3 * 4 }, (_, i) => 100 + i),
      height: 2,
      width: 2,
      channels: 1,
      rows: Int32Array.from([2, 0]),
    };
    expect(Array.from(pixelPair(ref, 0).image.data)).toEqual([8, 9, 10, 11]);
    expect(Array.from((await loadSegmentationSample(ref, 1)).label.data)).toEqual([100, 101, 102, 103]);
    expect(() => pixelPair(ref, 2)).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
    await expect(loadSegmentationSample(fileRef(['a-label.png']), -1)).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
    });
  });
});
