import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../__fixtures__/files.js';
import { idxBytes as idx } from '../__fixtures__/segmentation-files.js';
import { datasetSourceRegistry, openDatasetSource } from './source-registry.js';

describe('data-set source registry', () => {
  it('registers the classification sources a run config names, each with a summary', () => {
    expect(datasetSourceRegistry.names()).toEqual([
      'fashion-mnist',
      'mnist',
      'cifar10',
      'cifar100',
      'list',
      'image-folder',
    ]);
    for (const entry of datasetSourceRegistry.list()) expect(entry.summary.length, entry.name).toBeGreaterThan(10);
  });

  it('opens MNIST from IDX files under root', () => {
    const root = tempDir('mnist-source');
    writeFileSync(join(root, 'train-images-idx3-ubyte'), idx([3, 28, 28], new Uint8Array(3 * 784).fill(7)));
    writeFileSync(join(root, 'train-labels-idx1-ubyte'), idx([3], Uint8Array.from([0, 1, 1])));
    writeFileSync(join(root, 't10k-images-idx3-ubyte'), idx([2, 28, 28], new Uint8Array(2 * 784)));
    writeFileSync(join(root, 't10k-labels-idx1-ubyte'), idx([2], Uint8Array.from([1, 0])));
    const { train, test } = openDatasetSource({ name: 'mnist', root });
    expect([train.size, test.size]).toEqual([3, 2]);
    expect(Array.from(train.labels)).toEqual([0, 1, 1]);
  });

  it("opens list files, giving the test split the training split's class count", () => {
    const root = tempDir('list-source');
    mkdirSync(join(root, 'img'), { recursive: true });
    writeFileSync(join(root, 'train.txt'), 'img/a.png 0\nimg/b.png 2\n');
    writeFileSync(join(root, 'test.txt'), 'img/c.png 0\n');
    const { train, test } = openDatasetSource({
      name: 'list',
      root,
      trainList: join(root, 'train.txt'),
      testList: join(root, 'test.txt'),
    });
    expect([train.size, test.size, train.numClasses, test.numClasses]).toEqual([2, 1, 3, 3]);
  });

  it('suggests the nearest name for an unknown one and lists them all', () => {
    expect(() => openDatasetSource({ name: 'cifar-10', root: '/data' })).toThrow(
      expect.objectContaining({
        code: 'CONFIG.UNKNOWN_NAME',
        message:
          "Unknown data-set source 'cifar-10'; did you mean 'cifar10'? Known data-set sources: fashion-mnist, mnist, cifar10, cifar100, list, image-folder.",
      }),
    );
  });

  it("checks options by the source's own schema: a missing root, a key the source does not read", () => {
    expect(() => openDatasetSource({ name: 'mnist' })).toThrow(/mnist' options:\n {2}- root:/);
    expect(() => openDatasetSource({ name: 'cifar10', root: '/data', trainList: 'x' })).toThrow(
      'trainList: unknown key',
    );
    expect(() => openDatasetSource({ name: 'list', root: '/data', trainList: 'a.txt' })).toThrow(/testList/);
  });
});
