import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternPixels, tempDir } from '../__fixtures__/files.js';
import { listFileSource } from '../sources/list-file.js';
import { fashionMnist } from '../sources/mnist.js';
import { pacoCifarViews } from '../transforms/presets.js';
import { type Batch, BatchLoader, type IndexOrder, type LoaderProgress } from './batch-loader.js';

/** A sampler-shaped order (the loader needs only `indices(epoch)`): reversed on odd epochs. */
function simpleOrder(size: number): IndexOrder {
  return {
    indices: (epoch) => Int32Array.from({ length: size }, (_, i) => (epoch % 2 === 0 ? (i * 7) % size : size - 1 - i)),
  };
}

async function collect(loader: BatchLoader, epoch: number, startPosition = 0): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const batch of loader.epoch(epoch, { startPosition })) out.push(batch);
  return out;
}

describe('BatchLoader on Fashion-MNIST with the PaCo two-view pipeline', () => {
  const source = fashionMnist().train.subset(Int32Array.from({ length: 301 }, (_, i) => i * 17));
  const transform = pacoCifarViews({ size: 28, normalize: { preset: 'fashion-mnist' } });
  const progress: LoaderProgress[] = [];
  const inline = new BatchLoader(source, { sampler: simpleOrder(301), transform, batchSize: 64, workers: 0, seed: 3 });
  const threaded = new BatchLoader(source, {
    sampler: simpleOrder(301),
    transform,
    batchSize: 64,
    workers: 2,
    seed: 3,
    onProgress: (p) => progress.push(p),
  });
  afterAll(() => threaded.close());

  it('gives identical batches on worker threads and inline', async () => {
    const a = await collect(inline, 1);
    const b = await collect(threaded, 1);
    expect(a.map((batch) => batch.indices.length)).toEqual([64, 64, 64, 64, 45]);
    expect(b.length).toBe(5);
    a.forEach((batch, k) => {
      const other = b[k] as Batch;
      expect(other.shape).toEqual([batch.indices.length, 28, 28, 1]);
      expect(other.views.length).toBe(2);
      expect(Array.from(other.labels)).toEqual(Array.from(batch.labels));
      expect(other.views[0]).toEqual(batch.views[0]);
      expect(other.views[1]).toEqual(batch.views[1]);
    });
    // Labels follow the sampler's order, and the two views differ (different augmentations).
    expect(a[0]?.labels[0]).toBe(source.labels[300]);
    expect(a[0]?.views[0]).not.toEqual(a[0]?.views[1]);
    expect(progress.map((p) => [p.batch, p.batches])).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
    expect(progress.at(-1)?.samples).toBe(301);
  });

  it('resumes mid-epoch with the same batches, and changes augmentations with the epoch', async () => {
    const full = await collect(threaded, 2);
    const resumed = await collect(threaded, 2, 128);
    expect(resumed.map((b) => b.index)).toEqual([2, 3, 4]);
    resumed.forEach((batch, k) => {
      expect(batch.views[0]).toEqual(full[k + 2]?.views[0]);
    });
    const nextEpoch = await collect(inline, 4);
    expect(Array.from(nextEpoch[0]?.indices ?? [])).toEqual(Array.from(full[0]?.indices ?? []));
    expect(nextEpoch[0]?.views[0]).not.toEqual(full[0]?.views[0]);
  });

  it('drops the short last batch on request and rejects a start off a batch boundary', async () => {
    const loader = new BatchLoader(source, {
      sampler: simpleOrder(301),
      transform,
      batchSize: 100,
      workers: 0,
      dropLast: true,
    });
    expect((await collect(loader, 0)).map((b) => b.indices.length)).toEqual([100, 100, 100]);
    await expect(collect(loader, 0, 50)).rejects.toThrow(/not a batch boundary/);
  });

  it('validates its options and the transform spec up front', () => {
    expect(() => new BatchLoader(source, { sampler: simpleOrder(3), transform, batchSize: 0 })).toThrow(/batchSize/);
    expect(
      () => new BatchLoader(source, { sampler: simpleOrder(3), transform: [{ name: 'nope' }], batchSize: 2 }),
    ).toThrow(/Unknown transform 'nope'/);
  });
});

describe('BatchLoader on image files', () => {
  const root = tempDir('loader');
  beforeAll(async () => {
    mkdirSync(join(root, 'img'));
    for (let k = 0; k < 6; k++) {
      await sharp(Buffer.from(patternPixels(10, 12, 3, k)), { raw: { height: 10, width: 12, channels: 3 } })
        .png()
        .toFile(join(root, 'img', `${k}.png`));
    }
    const whole = readFileSync(join(root, 'img', '4.png'));
    writeFileSync(join(root, 'img', '4.png'), whole.subarray(0, Math.floor(whole.length / 2)));
    writeFileSync(join(root, 'list.txt'), Array.from({ length: 6 }, (_, k) => `img/${k}.png ${k % 2}`).join('\n'));
  });

  const pipeline = [
    { name: 'randomResizedCrop', size: 8 },
    { name: 'horizontalFlip' },
    { name: 'normalize', preset: 'imagenet' },
  ];

  for (const workers of [0, 2]) {
    it(`fails cleanly naming the file and index of a corrupt image (workers ${workers})`, async () => {
      const source = listFileSource({ listFile: join(root, 'list.txt'), root });
      const loader = new BatchLoader(source, {
        sampler: { indices: () => Int32Array.from([0, 1, 2, 3, 4, 5]) },
        transform: pipeline,
        batchSize: 2,
        workers,
      });
      const seen: number[] = [];
      const run = async () => {
        for await (const batch of loader.epoch(0)) seen.push(...batch.indices);
      };
      await expect(run()).rejects.toMatchObject({
        code: 'DATA.CORRUPT',
        message: expect.stringMatching(/4\.png \(sample 4\)/),
      });
      // The good batches before the broken one were delivered, nothing after it.
      expect(seen).toEqual([0, 1, 2, 3]);
      await loader.close();
    });
  }

  it('decodes files on worker threads into fixed-size batches', async () => {
    const source = listFileSource({ listFile: join(root, 'list.txt'), root }).subset([0, 1, 2, 3, 5]);
    const loader = new BatchLoader(source, {
      sampler: { indices: () => Int32Array.from([4, 3, 2, 1, 0]) },
      transform: pipeline,
      batchSize: 5,
      workers: 2,
    });
    const [batch] = await collect(loader, 0);
    await loader.close();
    expect(batch?.shape).toEqual([5, 8, 8, 3]);
    expect(Array.from(batch?.labels ?? [])).toEqual([1, 1, 0, 1, 0]);
    expect(batch?.views[0]?.every((v) => Number.isFinite(v))).toBe(true);
  });
});
