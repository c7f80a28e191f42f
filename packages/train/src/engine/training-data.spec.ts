import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classificationConfigOf, parseRunConfig } from '@ltlab/config';
import { localRootVariable } from '@ltlab/datasets';
import { afterEach, describe, expect, it } from 'vitest';
import { tinyConfig } from '../__fixtures__/tiny-run-config.js';
import { buildTrainingData } from './training-data.js';

/** An IDX file of unsigned bytes with the given dimensions. */
function idx(dims: number[], bytes: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((dim, i) => {
    header.writeUInt32BE(dim, 4 + 4 * i);
  });
  return Buffer.concat([header, Buffer.from(bytes)]);
}

/** MNIST's four files with 4 training images (labels 0, 1, 1, 2) and 2 test images. */
function mnistDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'ltlab-mnist-'));
  writeFileSync(join(root, 'train-images-idx3-ubyte'), idx([4, 28, 28], new Uint8Array(4 * 784).fill(9)));
  writeFileSync(join(root, 'train-labels-idx1-ubyte'), idx([4], Uint8Array.from([0, 1, 1, 2])));
  writeFileSync(join(root, 't10k-images-idx3-ubyte'), idx([2, 28, 28], new Uint8Array(2 * 784)));
  writeFileSync(join(root, 't10k-labels-idx1-ubyte'), idx([2], Uint8Array.from([2, 0])));
  return root;
}

const dataOf = (data: Record<string, unknown>) =>
  classificationConfigOf(parseRunConfig(tinyConfig({ data: data as ReturnType<typeof tinyConfig>['data'] }))).data;

describe('buildTrainingData', () => {
  afterEach(() => {
    delete process.env.LTLAB_MNIST_DIR;
  });

  it('opens the configured source through the data-set source registry', () => {
    const data = buildTrainingData(dataOf({ source: 'mnist', root: mnistDir() }));
    expect([data.train.size, data.test.size, data.numClasses]).toEqual([4, 2, 10]);
    expect(Array.from(data.classCounts.subarray(0, 3))).toEqual([1, 2, 1]);
    expect(data.imageShape).toEqual([28, 28, 1]);
  });

  it('takes a missing root from LTLAB_<SOURCE>_DIR, a machine-local copy', () => {
    expect(localRootVariable('fashion-mnist')).toBe('LTLAB_FASHION_MNIST_DIR');
    expect(localRootVariable('cifar100')).toBe('LTLAB_CIFAR100_DIR');
    process.env.LTLAB_MNIST_DIR = mnistDir();
    expect(buildTrainingData(dataOf({ source: 'mnist' })).train.size).toBe(4);
  });

  it("names a missing or unread option by the source's schema", () => {
    expect(() => buildTrainingData(dataOf({ source: 'mnist' }))).toThrow(
      expect.objectContaining({
        code: 'CONFIG.INVALID',
        message: expect.stringMatching(/'mnist' options:\n {2}- root:/),
      }),
    );
    expect(() => buildTrainingData(dataOf({ source: 'cifar10', root: '/data', trainList: 'a.txt' }))).toThrow(
      'trainList: unknown key',
    );
  });
});
