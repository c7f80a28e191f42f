import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDataLocation, dataLocationFix, dataLocationOf, localRootVariable } from './data-location.js';
import { FASHION_MNIST_DEFAULT_DIR } from './mnist.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ltlab-data-location-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const IDX = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

describe('dataLocationOf', () => {
  it('takes the config root first, then LTLAB_<SOURCE>_DIR, then the Debian default', () => {
    const env = { LTLAB_FASHION_MNIST_DIR: '/mnt/fmnist' };
    expect(dataLocationOf({ source: 'fashion-mnist', root: '/data/x' }, env)).toMatchObject({
      path: '/data/x',
      via: 'data.root',
    });
    expect(dataLocationOf({ source: 'fashion-mnist' }, env)).toMatchObject({
      path: '/mnt/fmnist',
      via: 'LTLAB_FASHION_MNIST_DIR',
    });
    expect(dataLocationOf({ source: 'fashion-mnist' }, {})).toMatchObject({
      path: FASHION_MNIST_DEFAULT_DIR,
      via: 'default',
    });
    // The benchmark's generator reads Fashion-MNIST through the same variable.
    expect(dataLocationOf({ source: { name: 'fashion-mnist-seg-lt' } }, env)).toMatchObject({
      path: '/mnt/fmnist',
      via: 'LTLAB_FASHION_MNIST_DIR',
    });
  });

  it('names no path for a source without a default when neither the config nor the variable does', () => {
    const location = dataLocationOf({ source: 'cifar100' }, {});
    expect(location).toMatchObject({ source: 'cifar100', path: null, via: 'LTLAB_CIFAR100_DIR' });
    expect(checkDataLocation(location)).toEqual({ present: false, missing: null });
    expect(dataLocationFix(location)).toContain('LTLAB_CIFAR100_DIR');
  });

  it('reads the segmentation source root', () => {
    const location = dataLocationOf({ source: { name: 'ade20k', root: '/data/datasets/ade' } }, {});
    expect(location).toMatchObject({ source: 'ade20k', path: '/data/datasets/ade', via: 'data.source.root' });
    expect(location.needs).toEqual([['/data/datasets/ade/images'], ['/data/datasets/ade/annotations']]);
  });

  it('names the variable the trainer reads', () => {
    expect(localRootVariable('fashion-mnist')).toBe('LTLAB_FASHION_MNIST_DIR');
    expect(localRootVariable('image-folder')).toBe('LTLAB_IMAGE_FOLDER_DIR');
  });
});

describe('checkDataLocation', () => {
  it('finds gzip or plain IDX files and names the first one missing', () => {
    const dir = tempDir();
    const location = dataLocationOf({ source: 'mnist', root: dir }, {});
    expect(checkDataLocation(location)).toEqual({ present: false, missing: join(dir, `${IDX[0]}.gz`) });
    writeFileSync(join(dir, `${IDX[0]}.gz`), '');
    writeFileSync(join(dir, IDX[1] ?? ''), '');
    writeFileSync(join(dir, `${IDX[2]}.gz`), '');
    expect(checkDataLocation(location)).toEqual({ present: false, missing: join(dir, `${IDX[3]}.gz`) });
    writeFileSync(join(dir, IDX[3] ?? ''), '');
    expect(checkDataLocation(location)).toEqual({ present: true, missing: null });
  });

  it('accepts every IDX name the loader opens, such as train-images.idx3-ubyte', () => {
    // The dotted names of some downloads: mnist.ts loads them, so a worker must not call them missing.
    const dir = tempDir();
    for (const name of IDX) writeFileSync(join(dir, name.replace(/-(idx\d-ubyte)$/, '.$1')), '');
    expect(checkDataLocation(dataLocationOf({ source: 'mnist', root: dir }, {}))).toEqual({
      present: true,
      missing: null,
    });
  });

  it("needs every file of CIFAR-10's binary version, all five training batches", () => {
    const dir = tempDir();
    for (const name of ['batches.meta.txt', 'data_batch_1.bin', 'data_batch_2.bin', 'test_batch.bin']) {
      writeFileSync(join(dir, name), '');
    }
    expect(checkDataLocation(dataLocationOf({ source: 'cifar10', root: dir }, {}))).toEqual({
      present: false,
      missing: join(dir, 'data_batch_3.bin'),
    });
  });

  it('needs the list files of a list source beside its root', () => {
    const dir = tempDir();
    const trainList = join(dir, 'train.txt');
    const location = dataLocationOf({ source: 'list', root: dir, trainList, testList: join(dir, 'test.txt') }, {});
    writeFileSync(trainList, '');
    expect(checkDataLocation(location)).toEqual({ present: false, missing: join(dir, 'test.txt') });
  });

  it('needs both splits of an image folder', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'train'));
    const location = dataLocationOf({ source: 'image-folder', root: dir }, {});
    expect(checkDataLocation(location)).toEqual({ present: false, missing: join(dir, 'test') });
  });
});

describe('dataLocationFix', () => {
  it('says how to install, mount or point at the data, by where the path came from', () => {
    expect(dataLocationFix(dataLocationOf({ source: 'fashion-mnist' }, {}))).toContain(
      'apt-get install dataset-fashion-mnist',
    );
    const fromVariable = dataLocationFix(
      dataLocationOf({ source: 'fashion-mnist' }, { LTLAB_FASHION_MNIST_DIR: '/m' }),
    );
    expect(fromVariable).toContain('into /m');
    expect(fromVariable).toContain('set LTLAB_FASHION_MNIST_DIR');
    const fromRoot = dataLocationFix(dataLocationOf({ source: 'cifar100', root: '/data/datasets/c' }, {}));
    expect(fromRoot).toContain('at /data/datasets/c');
    expect(fromRoot).toContain('point data.root');
  });
});
