import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../__fixtures__/files.js';
import { FASHION_MNIST_DEFAULT_DIR, fashionMnist, mnist } from './mnist.js';

function idx(dims: number[], data: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, k) => {
    view.setUint32(4 + 4 * k, d, false);
  });
  return Buffer.concat([header, data]);
}

describe('fashionMnist from the Debian package', () => {
  const { train, test } = fashionMnist();

  it('has 60,000 train / 10,000 test images of 10 classes', () => {
    expect([train.size, test.size]).toEqual([60_000, 10_000]);
    expect([train.numClasses, test.numClasses]).toEqual([10, 10]);
    expect(Array.from(train.classCounts)).toEqual(new Array(10).fill(6000));
    expect(Array.from(test.classCounts)).toEqual(new Array(10).fill(1000));
    expect(train.classNames?.[9]).toBe('Ankle boot');
    expect(train.shape).toEqual([28, 28, 1]);
  });

  it('has the published first labels', () => {
    expect(Array.from(train.labels.slice(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(Array.from(test.labels.slice(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    const first = train.get(0);
    expect(first.label).toBe(9);
    expect(first.image.data.length).toBe(784);
    // The first training image (an ankle boot) has a black border and bright pixels inside.
    expect(first.image.data[0]).toBe(0);
    expect(Math.max(...first.image.data)).toBe(255);
  });
});

describe('IDX files', () => {
  const dir = tempDir('idx');
  const images = Uint8Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 10);
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), idx([3, 2, 2], images));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx([3], Uint8Array.from([4, 0, 9])));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(idx([1, 2, 2], Uint8Array.from([1, 2, 3, 4]))));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([1], Uint8Array.from([7]))));

  it('reads plain and gzip files from any directory', () => {
    const { train, test } = mnist({ dir });
    expect(Array.from(train.labels)).toEqual([4, 0, 9]);
    expect(Array.from(train.get(2).image.data)).toEqual([80, 90, 100, 110]);
    expect(Array.from(test.get(0).image.data)).toEqual([1, 2, 3, 4]);
    expect(test.get(0).label).toBe(7);
  });

  it('says what to install when the files are missing', () => {
    expect(() => fashionMnist({ dir: join(dir, 'nope') })).toThrow(
      expect.objectContaining({ code: 'DATA.MISSING', fix: expect.stringContaining('zalandoresearch/fashion-mnist') }),
    );
    // The default location names the Debian package.
    expect(FASHION_MNIST_DEFAULT_DIR).toBe('/usr/share/datasets/fashion-mnist');
  });

  it('rejects a truncated IDX file with DATA.CORRUPT naming the file', () => {
    const bad = tempDir('idx-bad');
    writeFileSync(join(bad, 'train-images-idx3-ubyte'), idx([3, 2, 2], images).subarray(0, 20));
    writeFileSync(join(bad, 'train-labels-idx1-ubyte'), idx([3], Uint8Array.from([4, 0, 9])));
    writeFileSync(join(bad, 't10k-images-idx3-ubyte'), idx([1, 2, 2], Uint8Array.from([1, 2, 3, 4])));
    writeFileSync(join(bad, 't10k-labels-idx1-ubyte'), idx([1], Uint8Array.from([7])));
    expect(() => mnist({ dir: bad })).toThrow(
      expect.objectContaining({ code: 'DATA.CORRUPT', message: expect.stringContaining('train-images-idx3-ubyte') }),
    );
  });

  it('rejects labels outside the classes', () => {
    const bad = tempDir('idx-label');
    writeFileSync(join(bad, 'train-images-idx3-ubyte'), idx([1, 1, 1], Uint8Array.from([0])));
    writeFileSync(join(bad, 'train-labels-idx1-ubyte'), idx([1], Uint8Array.from([12])));
    writeFileSync(join(bad, 't10k-images-idx3-ubyte'), idx([1, 1, 1], Uint8Array.from([0])));
    writeFileSync(join(bad, 't10k-labels-idx1-ubyte'), idx([1], Uint8Array.from([1])));
    expect(() => mnist({ dir: bad })).toThrow(/label 12 of sample 0/);
  });
});
