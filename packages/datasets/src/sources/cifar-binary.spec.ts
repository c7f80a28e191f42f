import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { patternPixels, tempDir } from '../__fixtures__/files.js';
import { cifar10, cifar100 } from './cifar-binary.js';

/** One CIFAR record: label byte(s), then the HWC pattern written as planar R, G, B. */
function record(labels: number[], seed: number): Uint8Array {
  const hwc = patternPixels(32, 32, 3, seed);
  const out = new Uint8Array(labels.length + 3072);
  out.set(labels, 0);
  for (let p = 0; p < 1024; p++)
    for (let c = 0; c < 3; c++) out[labels.length + c * 1024 + p] = hwc[p * 3 + c] as number;
  return out;
}

describe('CIFAR-10 binary', () => {
  const dir = tempDir('cifar10');
  for (let k = 1; k <= 5; k++)
    writeFileSync(join(dir, `data_batch_${k}.bin`), Buffer.concat([record([k], k), record([9], 10 + k)]));
  writeFileSync(join(dir, 'test_batch.bin'), record([3], 99));
  writeFileSync(
    join(dir, 'batches.meta.txt'),
    'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n',
  );

  it('reads the batches in order and converts CHW planes to HWC', () => {
    const { train, test } = cifar10({ dir });
    expect(train.size).toBe(10);
    expect(Array.from(train.labels)).toEqual([1, 9, 2, 9, 3, 9, 4, 9, 5, 9]);
    expect(train.shape).toEqual([32, 32, 3]);
    expect(Array.from(train.get(2).image.data)).toEqual(Array.from(patternPixels(32, 32, 3, 2)));
    expect(Array.from(test.get(0).image.data)).toEqual(Array.from(patternPixels(32, 32, 3, 99)));
    expect(test.classNames?.[3]).toBe('cat');
    expect(Array.from(train.classCounts)).toEqual([0, 1, 1, 1, 1, 1, 0, 0, 0, 5]);
  });

  it('fails with DATA.CORRUPT naming a truncated batch file', () => {
    const bad = tempDir('cifar10-bad');
    for (let k = 1; k <= 5; k++) writeFileSync(join(bad, `data_batch_${k}.bin`), record([k], k));
    writeFileSync(join(bad, 'data_batch_3.bin'), record([3], 3).subarray(0, 2000));
    writeFileSync(join(bad, 'test_batch.bin'), record([3], 99));
    expect(() => cifar10({ dir: bad })).toThrow(
      expect.objectContaining({ code: 'DATA.CORRUPT', message: expect.stringContaining('data_batch_3.bin') }),
    );
  });

  it('says where to get CIFAR when the directory is missing', () => {
    expect(() => cifar10({ dir: join(dir, 'missing') })).toThrow(
      expect.objectContaining({ code: 'DATA.MISSING', fix: expect.stringContaining('cifar-10-binary.tar.gz') }),
    );
  });
});

describe('CIFAR-100 binary', () => {
  const dir = tempDir('cifar100');
  writeFileSync(join(dir, 'train.bin'), Buffer.concat([record([4, 72], 1), record([19, 99], 2), record([0, 0], 3)]));
  writeFileSync(join(dir, 'test.bin'), record([7, 55], 4));

  it('uses the fine labels (second byte)', () => {
    const { train, test } = cifar100({ dir });
    expect(train.numClasses).toBe(100);
    expect(Array.from(train.labels)).toEqual([72, 99, 0]);
    expect(test.get(0).label).toBe(55);
    expect(Array.from(train.get(1).image.data)).toEqual(Array.from(patternPixels(32, 32, 3, 2)));
    expect(train.classNames).toBeUndefined();
  });

  it('rejects a fine label outside [0, 100)', () => {
    const bad = tempDir('cifar100-bad');
    writeFileSync(join(bad, 'train.bin'), record([1, 140], 1));
    writeFileSync(join(bad, 'test.bin'), record([1, 1], 1));
    expect(() => cifar100({ dir: bad })).toThrow(/record 0 has label 140/);
  });
});
