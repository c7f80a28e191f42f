import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../__fixtures__/files.js';
import {
  imageFromLabel,
  writeFashionMnistFixture,
  writeLabelPng,
  writeRgbImage,
} from '../__fixtures__/segmentation-files.js';
import {
  openSegmentationSource,
  SEGMENTATION_SOURCE_NAMES,
  segmentationSourceRegistry,
} from './segmentation-sources.js';

const root = tempDir('segmentation-sources');

beforeAll(async () => {
  writeFashionMnistFixture(join(root, 'fmnist'), { train: 2, test: 2 });
  for (const [split, name] of [
    ['training', 'ADE_train_1'],
    ['training', 'ADE_train_2'],
    ['validation', 'ADE_val_1'],
  ] as const) {
    await writeRgbImage(join(root, `ade/images/${split}/${name}.jpg`), imageFromLabel([1, 2]), 1, 2);
    await writeLabelPng(join(root, `ade/annotations/${split}/${name}.png`), [1, 2], 1, 2);
  }
});

describe('openSegmentationSource', () => {
  it('opens a file layout as train and validation splits', () => {
    const { train, test } = openSegmentationSource({ name: 'ade20k', root: join(root, 'ade') });
    expect([train.size, test.size, train.numClasses]).toEqual([2, 1, 150]);
    expect(test.description).toContain('ADE20K validation');
  });

  it('builds the Fashion-MNIST benchmark from its options', () => {
    const { train, test } = openSegmentationSource({
      name: 'fashion-mnist-seg-lt',
      dir: join(root, 'fmnist'),
      headImages: 10,
      imbalanceFactor: 10,
      trainImages: 12,
      testImages: 5,
      testImagesPerClass: 1,
    });
    expect([train.size, test.size, train.numClasses]).toEqual([12, 5, 11]);
  });

  it('registers every source the spec schema accepts, each with a summary', () => {
    expect(segmentationSourceRegistry.names()).toEqual([...SEGMENTATION_SOURCE_NAMES]);
    for (const entry of segmentationSourceRegistry.list()) expect(entry.summary.length, entry.name).toBeGreaterThan(10);
    expect(() => openSegmentationSource({ name: 'ade20' } as never)).toThrow(
      "Unknown segmentation source 'ade20'; did you mean 'ade20k'?",
    );
  });

  it('names the known sources and checks options', () => {
    expect(() => openSegmentationSource({ name: 'pascal-voc', root } as never)).toThrow(
      expect.objectContaining({
        code: 'CONFIG.UNKNOWN_NAME',
        fix: expect.stringContaining(SEGMENTATION_SOURCE_NAMES.join(', ')),
      }),
    );
    expect(() => openSegmentationSource({ name: 'cityscapes' } as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID', message: expect.stringContaining('root') }),
    );
    expect(() => openSegmentationSource({ name: 'fashion-mnist-seg-lt', canvas: 64 } as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID' }),
    );
  });
});
