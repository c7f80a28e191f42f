import { deriveSeed, LtlabError, parseOrThrow, Rng } from '@ltlab/core';
import { z } from 'zod';
import { longTailCounts } from '../../long-tail.js';
import { FASHION_MNIST_CLASSES, fashionMnist } from '../../sources/mnist.js';
import type { PixelSource } from '../../sources/pixel-source.js';
import { SegmentationPixelSource } from '../sources/segmentation-pixel-source.js';
import { type CanvasItem, composeCanvas } from './compose-canvas.js';
import { assignItemClasses } from './item-assignment.js';

const ITEM_SIZE = 28;
/** Fashion-MNIST pictures with fewer foreground pixels than this are never used as items. */
export const MIN_ITEM_FOREGROUND = 20;
/** Label of the pixels no item covers; item class k of Fashion-MNIST is label k + 1. */
export const BACKGROUND_CLASS = 0;

export const FASHION_MNIST_SEG_LT_CLASSES = ['background', ...FASHION_MNIST_CLASSES] as const;

const count = z.number().int().positive();

export const fashionMnistSegLtOptionsSchema = z
  .strictObject({
    /** Folder of the Fashion-MNIST IDX files; defaults to the Debian package's. */
    dir: z.string().min(1).optional(),
    /** Seeds every draw: the same seed gives byte-identical canvases. */
    seed: z.number().int().min(0).default(0),
    canvasSize: count.default(64),
    /** Items per canvas, [min, max] (distinct classes within a canvas). */
    itemsPerImage: z.tuple([count, count]).default([1, 4]),
    trainImages: count.default(2000),
    /** Training canvases holding the most frequent item class (T-shirt/top): n_max of the profile. */
    headImages: count.default(1500),
    /** n_max / n_min of the image-level item class frequencies in the training set. */
    imbalanceFactor: z.number().min(1).default(100),
    profile: z.enum(['exp', 'step']).default('exp'),
    testImages: count.default(750),
    /** Test canvases holding each item class (balanced). */
    testImagesPerClass: count.default(150),
    /** Pixels above this value (0..255) are an item's foreground. */
    foregroundThreshold: z.number().int().min(0).max(254).default(32),
    /** Each item keeps at least this share of its foreground visible under later items. */
    minVisibleFraction: z.number().gt(0).max(1).default(0.5),
    /** 3 repeats the gray value (for models and transforms that expect RGB). */
    channels: z.union([z.literal(1), z.literal(3)]).default(1),
  })
  .superRefine((o, ctx) => {
    const cells = Math.ceil(Math.sqrt(o.itemsPerImage[1]));
    if (o.canvasSize < cells * ITEM_SIZE) {
      ctx.addIssue({
        code: 'custom',
        path: ['canvasSize'],
        message: `must be at least ${cells * ITEM_SIZE} to lay ${o.itemsPerImage[1]} items of ${ITEM_SIZE} pixels side by side`,
      });
    }
  });

export type FashionMnistSegLtOptions = z.input<typeof fashionMnistSegLtOptionsSchema>;

export interface FashionMnistSegLt {
  train: SegmentationPixelSource;
  test: SegmentationPixelSource;
  /** Canvases containing each item class (index k = Fashion-MNIST class k = label k + 1), by construction. */
  itemImages: { train: Int32Array; test: Int32Array };
  /** Canvases whose items ended on the grid because random placement kept hiding an item. */
  gridCanvases: { train: number; test: number };
  /** Items that reuse a Fashion-MNIST picture already used in the split (its class ran out). */
  reusedItems: { train: number; test: number };
}

interface SplitBuild {
  source: SegmentationPixelSource;
  gridCanvases: number;
  reusedItems: number;
}

function buildSplit(
  split: 'train' | 'test',
  items: PixelSource,
  imagesPerClass: Int32Array,
  images: number,
  o: z.output<typeof fashionMnistSegLtOptionsSchema>,
): SplitBuild {
  const K = FASHION_MNIST_CLASSES.length;
  const S = o.canvasSize;
  const classesOf = assignItemClasses(
    { imagesPerClass, images, itemsPerImage: o.itemsPerImage },
    new Rng(deriveSeed(o.seed, 'fashion-mnist-seg-lt', split, 'assignment')),
  );
  // Per class, its usable pictures in a seeded order, used one after another (then again).
  const members: number[][] = Array.from({ length: K }, () => []);
  items.labels.forEach((y, i) => {
    let foreground = 0;
    for (const v of items.get(i).image.data) if (v > o.foregroundThreshold) foreground++;
    if (foreground >= MIN_ITEM_FOREGROUND) (members[y] as number[]).push(i);
  });
  const pools = members.map((pool, c) => {
    if (pool.length === 0) {
      throw new LtlabError('DATA.CORRUPT', `Fashion-MNIST ${split} has no usable picture of class ${c}.`, {
        fix: `Check the IDX files (every class needs pictures with ${MIN_ITEM_FOREGROUND}+ pixels above the threshold).`,
      });
    }
    return new Rng(deriveSeed(o.seed, 'fashion-mnist-seg-lt', split, 'items', c)).shuffle(pool);
  });
  const used = new Int32Array(K);
  let reusedItems = 0;
  let gridCanvases = 0;
  const imageBytes = S * S * o.channels;
  const allImages = new Uint8Array(images * imageBytes);
  const allLabels = new Uint8Array(images * S * S);
  classesOf.forEach((classes, n) => {
    const canvasItems: CanvasItem[] = classes.map((c) => {
      const pool = pools[c] as number[];
      const k = used[c] as number;
      used[c] = k + 1;
      if (k >= pool.length) reusedItems++;
      return { pixels: items.get(pool[k % pool.length] as number).image.data, classId: c + 1 };
    });
    const canvas = composeCanvas(
      canvasItems,
      {
        canvasSize: S,
        itemSize: ITEM_SIZE,
        foregroundThreshold: o.foregroundThreshold,
        minVisibleFraction: o.minVisibleFraction,
        placementTries: 50,
        backgroundClass: BACKGROUND_CLASS,
      },
      new Rng(deriveSeed(o.seed, 'fashion-mnist-seg-lt', split, 'canvas', n)),
    );
    if (canvas.grid) gridCanvases++;
    allLabels.set(canvas.label, n * S * S);
    for (let p = 0; p < S * S; p++) {
      for (let c = 0; c < o.channels; c++) allImages[n * imageBytes + p * o.channels + c] = canvas.image[p] as number;
    }
  });
  const source = SegmentationPixelSource.fromArrays(
    allImages,
    allLabels,
    { count: images, height: S, width: S, channels: o.channels },
    {
      numClasses: FASHION_MNIST_SEG_LT_CLASSES.length,
      classNames: FASHION_MNIST_SEG_LT_CLASSES,
      description: `Fashion-MNIST-Seg-LT ${split} (seed ${o.seed}, rho ${o.imbalanceFactor}, ${images} canvases)`,
    },
  );
  return { source, gridCanvases, reusedItems };
}

/**
 * A long-tailed segmentation benchmark built from real Fashion-MNIST pixels (docs/segmentation.md,
 * "Benchmark"). Each canvas (64 x 64 by default) holds 1 to 4 Fashion-MNIST pictures of distinct
 * classes at seeded random positions, later ones on top; a pixel's label is the class (k + 1) of
 * the topmost picture whose pixel there is above the foreground threshold, else background (0).
 * In the training set, Fashion-MNIST class k appears in exactly n_k canvases, n_k from the
 * long-tail profile (exp: trunc(headImages * rho^(-k/9))), so the image-level class frequency
 * that Region Rebalance's prior counts has imbalance rho; in the test set every class appears in
 * `testImagesPerClass` canvases. Training canvases use Fashion-MNIST's training pictures, test
 * canvases its test pictures. Deterministic by seed.
 */
export function fashionMnistSegLt(options: FashionMnistSegLtOptions = {}): FashionMnistSegLt {
  const o = parseOrThrow(fashionMnistSegLtOptionsSchema, options, 'Fashion-MNIST-Seg-LT options');
  const { train: trainItems, test: testItems } = fashionMnist(o.dir === undefined ? {} : { dir: o.dir });
  const K = FASHION_MNIST_CLASSES.length;
  const trainCounts = longTailCounts({
    numClasses: K,
    imgMax: o.headImages,
    imbalanceFactor: o.imbalanceFactor,
    profile: o.profile,
  });
  if ((trainCounts[K - 1] as number) < 1) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `headImages ${o.headImages} with rho ${o.imbalanceFactor} leaves the rarest class in no canvas.`,
      {
        fix: `Set headImages to at least ${Math.ceil(o.imbalanceFactor)}.`,
      },
    );
  }
  const testCounts = new Int32Array(K).fill(o.testImagesPerClass);
  const train = buildSplit('train', trainItems, trainCounts, o.trainImages, o);
  const test = buildSplit('test', testItems, testCounts, o.testImages, o);
  return {
    train: train.source,
    test: test.source,
    itemImages: { train: trainCounts, test: testCounts },
    gridCanvases: { train: train.gridCanvases, test: test.gridCanvases },
    reusedItems: { train: train.reusedItems, test: test.reusedItems },
  };
}
