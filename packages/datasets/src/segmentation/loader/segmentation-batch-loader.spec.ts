import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../__fixtures__/files.js';
import { blockPair, labelOfPurePixel, writeLabelPng, writeRgbImage } from '../../__fixtures__/segmentation-files.js';
import type { IndexOrder } from '../../loader/batch-loader.js';
import { ade20kSource } from '../sources/ade20k.js';
import { SegmentationPixelSource } from '../sources/segmentation-pixel-source.js';
import { type SegmentationBatch, SegmentationBatchLoader } from './segmentation-batch-loader.js';

function order(size: number): IndexOrder {
  return { indices: (epoch) => Int32Array.from({ length: size }, (_, i) => (i * 3 + epoch) % size) };
}

async function collect(
  loader: SegmentationBatchLoader,
  epoch: number,
  startPosition = 0,
): Promise<SegmentationBatch[]> {
  const out: SegmentationBatch[] = [];
  for await (const batch of loader.epoch(epoch, { startPosition })) out.push(batch);
  return out;
}

/** Ten 12x16 pairs of shifted block patterns, in shared memory. */
function blockSource(): SegmentationPixelSource {
  const count = 10;
  const images = new Uint8Array(count * 12 * 16 * 3);
  const labels = new Uint8Array(count * 12 * 16);
  for (let k = 0; k < count; k++) {
    const pair = blockPair(12, 16, 2 + (k % 4));
    images.set(pair.image.data, k * 12 * 16 * 3);
    labels.set(pair.label.data, k * 12 * 16);
  }
  return SegmentationPixelSource.fromArrays(
    images,
    labels,
    { count, height: 12, width: 16, channels: 3 },
    {
      numClasses: 4,
      description: 'blocks',
    },
  );
}

const trainPipeline = [
  { name: 'resize', scale: [24, 10], ratioRange: [0.5, 1.5] },
  { name: 'randomCrop', size: 8, catMaxRatio: 0.75 },
  { name: 'randomFlip' },
  { name: 'normalize', mean: [0], std: [1] },
  { name: 'pad', size: 8 },
];

describe('SegmentationBatchLoader on in-memory pairs', () => {
  const source = blockSource();
  const inline = new SegmentationBatchLoader(source, {
    sampler: order(10),
    transform: trainPipeline,
    batchSize: 4,
    workers: 0,
    seed: 2,
  });
  const threaded = new SegmentationBatchLoader(source, {
    sampler: order(10),
    transform: trainPipeline,
    batchSize: 4,
    workers: 2,
    seed: 2,
  });
  afterAll(() => threaded.close());

  it('gives identical batches on worker threads and inline, images and labels aligned', async () => {
    const a = await collect(inline, 1);
    const b = await collect(threaded, 1);
    expect(a.map((batch) => batch.indices.length)).toEqual([4, 4, 2]);
    expect(a.map((batch) => batch.shape)).toEqual([
      [4, 8, 8, 3],
      [4, 8, 8, 3],
      [2, 8, 8, 3],
    ]);
    expect(a[2]?.labelShape).toEqual([2, 8, 8]);
    a.forEach((batch, k) => {
      const other = b[k] as SegmentationBatch;
      expect(Array.from(other.indices)).toEqual(Array.from(batch.indices));
      expect(other.images).toEqual(batch.images);
      expect(other.labels).toEqual(batch.labels);
    });
    let pure = 0;
    for (const batch of a) {
      for (let p = 0; p < batch.labels.length; p++) {
        const label = batch.labels[p] as number;
        const expected = labelOfPurePixel(
          Math.round((batch.images[p * 3] as number) * 255),
          Math.round((batch.images[p * 3 + 1] as number) * 255),
        );
        if (label === 255) {
          // Padding: the image is the pad value there.
          expect([batch.images[p * 3], batch.images[p * 3 + 2]]).toEqual([0, 0]);
        } else if (expected !== undefined) {
          pure++;
          expect(label).toBe(expected);
        }
      }
    }
    expect(pure).toBeGreaterThan(100);
    expect(Array.from(a[0]?.indices ?? [])).toEqual([1, 4, 7, 0]);
  });

  it('resumes mid-epoch with the same batches', async () => {
    const full = await collect(inline, 3);
    const resumed = await collect(threaded, 3, 4);
    expect(resumed.map((batch) => batch.index)).toEqual([1, 2]);
    expect(resumed[0]?.labels).toEqual(full[1]?.labels);
    expect(resumed[1]?.images).toEqual(full[2]?.images);
  });

  it('refuses batches of different sizes without pad, and a bad spec up front', async () => {
    const unpadded = new SegmentationBatchLoader(source, {
      sampler: order(10),
      transform: [{ name: 'resize', scale: [24, 10], ratioRange: [0.5, 1.5] }],
      batchSize: 4,
      workers: 0,
    });
    await expect(collect(unpadded, 0)).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
      fix: expect.stringContaining("'pad'"),
    });
    expect(
      () => new SegmentationBatchLoader(source, { sampler: order(10), transform: [{ name: 'blur' }], batchSize: 4 }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG.UNKNOWN_NAME' }));
    expect(() => new SegmentationBatchLoader(source, { sampler: order(10), transform: [], batchSize: 0 })).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID' }),
    );
  });
});

describe('SegmentationBatchLoader on files', () => {
  const root = tempDir('segmentation-loader');
  const stored = (k: number) => Array.from({ length: 6 * 8 }, (_, p) => 1 + ((p + k) % 3));

  beforeAll(async () => {
    for (let k = 0; k < 5; k++) {
      const pair = blockPair(6, 8, 2);
      await writeRgbImage(join(root, `images/training/${k}.jpg`), pair.image.data, 6, 8);
      await writeLabelPng(join(root, `annotations/training/${k}.png`), stored(k), 6, 8);
    }
    // Sample 3's label map is damaged.
    writeFileSync(join(root, 'annotations/training/3.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  });

  for (const workers of [0, 2]) {
    it(`fails naming the file of a corrupt label map (workers ${workers})`, async () => {
      const loader = new SegmentationBatchLoader(ade20kSource({ root }), {
        sampler: { indices: () => Int32Array.from([0, 1, 2, 3, 4]) },
        transform: [
          { name: 'randomCrop', size: 4 },
          { name: 'normalize', preset: 'imagenet' },
          { name: 'pad', size: 4 },
        ],
        batchSize: 2,
        workers,
      });
      const seen: number[] = [];
      const run = async () => {
        for await (const batch of loader.epoch(0)) seen.push(...batch.indices);
      };
      await expect(run()).rejects.toMatchObject({
        code: 'DATA.CORRUPT',
        message: expect.stringMatching(/3\.png \(sample 3\)/),
      });
      expect(seen).toEqual([0, 1]);
      await loader.close();
    });
  }

  it('gives the stored label maps for evaluation at the original size', async () => {
    const source = ade20kSource({ root }).subset([4, 0]);
    const loader = new SegmentationBatchLoader(source, {
      sampler: { indices: () => Int32Array.from([0, 1]) },
      transform: [
        { name: 'resize', scale: [16, 12] },
        { name: 'normalize', preset: 'imagenet' },
      ],
      batchSize: 2,
      workers: 0,
      originalLabels: true,
    });
    const [batch] = await collect(loader, 0);
    expect(batch?.shape).toEqual([2, 12, 16, 3]);
    expect(batch?.labelShape).toEqual([2, 6, 8]);
    // Reduce-zero-label applied: stored 1..3 are classes 0..2.
    expect(Array.from(batch?.labels.subarray(0, 48) ?? [])).toEqual(stored(4).map((v) => v - 1));
    expect(Array.from(batch?.labels.subarray(48) ?? [])).toEqual(stored(0).map((v) => v - 1));
  });
});
