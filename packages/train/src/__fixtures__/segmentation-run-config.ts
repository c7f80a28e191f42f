import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SegmentationRunConfigInput } from '@ltlab/config';
// The datasets package's own file fixtures: label PNGs as data sets store them, a small Fashion-MNIST.
import {
  imageFromLabel,
  writeFashionMnistFixture,
  writeLabelPng,
  writeRgbImage,
} from '../../../datasets/src/__fixtures__/segmentation-files.js';

/** A synthetic Fashion-MNIST (6 training, 3 test pictures per class; class k a rectangle of value 100 + 10 k). */
export function fashionMnistFixtureDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ltlab-fmnist-seg-'));
  writeFashionMnistFixture(dir, { train: 6, test: 3 });
  return dir;
}

/**
 * A tiny Fashion-MNIST-Seg-LT run on the fixture: 40 training canvases of 64 x 64 (items in 20 ...
 * 2 of them), 20 test canvases; a narrow DeepLabv3+ with Region Rebalance; 4 iterations in 2
 * periods, evaluated and checkpointed after each.
 */
export function tinySegmentationConfig(dir: string, overrides: Partial<SegmentationRunConfigInput> = {}) {
  return {
    task: 'segmentation',
    seed: 5,
    data: {
      source: {
        name: 'fashion-mnist-seg-lt',
        dir,
        trainImages: 40,
        headImages: 20,
        imbalanceFactor: 10,
        testImages: 20,
        testImagesPerClass: 4,
      },
      transforms: {
        train: [{ name: 'randomFlip' }, { name: 'normalize', mean: [0.1], std: [0.25] }],
        test: [{ name: 'normalize', mean: [0.1], std: [0.25] }],
      },
    },
    model: {
      name: 'deeplabv3plus-resnet10',
      options: { trunkWidth: 4, channels: 8, auxChannels: 4, lowLevelChannels: 4, outputStride: 8 },
    },
    loss: { regionRebalance: { reducedChannels: 4, hiddenChannels: 8 } },
    optimizer: { name: 'adamw', lr: 0.01 },
    schedule: { type: 'poly', warmupIterations: 1 },
    iterations: 4,
    periodIterations: 2,
    batchSize: 4,
    evaluation: { everyIterations: 2, batchSize: 10 },
    checkpoint: { everyIterations: 2, keepLast: 3, keepBest: false },
    ...overrides,
  } satisfies SegmentationRunConfigInput;
}

/**
 * An ADE20K folder as ADEChallengeData2016 lays it out: 6 training and 2 validation pairs of a few
 * sizes, JPEG images and 8-bit gray label PNGs holding 0 (unlabelled, ignored after
 * reduce-zero-label) and values 1..150 in blocks.
 */
export async function writeAde20kFixture(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'ltlab-ade20k-'));
  const pairs: Array<[split: string, name: string, height: number, width: number]> = [
    ['training', 'ADE_train_00000001', 40, 48],
    ['training', 'ADE_train_00000002', 36, 44],
    ['training', 'ADE_train_00000003', 40, 48],
    ['training', 'ADE_train_00000004', 48, 40],
    ['training', 'ADE_train_00000005', 36, 44],
    ['training', 'ADE_train_00000006', 40, 48],
    ['validation', 'ADE_val_00000001', 40, 48],
    ['validation', 'ADE_val_00000002', 36, 44],
  ];
  for (const [index, [split, name, height, width]] of pairs.entries()) {
    const label = Uint8Array.from({ length: height * width }, (_, p) => {
      const block = Math.floor(p / width / 12) * 4 + Math.floor((p % width) / 12);
      return block === 0 ? 0 : 1 + ((block * 37 + index * 11) % 150);
    });
    await writeLabelPng(join(root, 'annotations', split, `${name}.png`), label, height, width);
    await writeRgbImage(join(root, 'images', split, `${name}.jpg`), imageFromLabel(label), height, width);
  }
  return root;
}
