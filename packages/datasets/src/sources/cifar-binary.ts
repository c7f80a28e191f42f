import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LtlabError } from '@ltlab/core';
import { PixelSource } from './pixel-source.js';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const PIXELS = 3 * PLANE;

export interface CifarSplits {
  train: PixelSource;
  test: PixelSource;
}

/** Reads CIFAR binary records: `labelBytes` label bytes, then 3072 planar R, G, B bytes (CHW). */
export function readCifarBinary(
  paths: readonly string[],
  layout: { labelBytes: 1 | 2; labelOffset: number; numClasses: number },
): { pixels: Uint8Array; labels: Int32Array } {
  const record = layout.labelBytes + PIXELS;
  const files = paths.map((path) => {
    if (!existsSync(path))
      throw new LtlabError('DATA.MISSING', `CIFAR file ${path} does not exist.`, { details: { path } });
    const bytes = readFileSync(path);
    if (bytes.length === 0 || bytes.length % record !== 0) {
      throw new LtlabError(
        'DATA.CORRUPT',
        `CIFAR file ${path} is ${bytes.length} bytes, not a whole number of ${record}-byte records (truncated?).`,
        { fix: 'Download and extract the CIFAR binary version again.', details: { path } },
      );
    }
    return { path, bytes };
  });
  const total = files.reduce((n, f) => n + f.bytes.length / record, 0);
  const pixels = new Uint8Array(total * PIXELS);
  const labels = new Int32Array(total);
  let n = 0;
  for (const { path, bytes } of files) {
    for (let offset = 0; offset < bytes.length; offset += record, n++) {
      const label = bytes[offset + layout.labelOffset] as number;
      if (label >= layout.numClasses) {
        throw new LtlabError(
          'DATA.CORRUPT',
          `CIFAR file ${path}: record ${offset / record} has label ${label}, outside [0, ${layout.numClasses}).`,
          { fix: 'Check that the file belongs to this CIFAR variant and is not damaged.', details: { path } },
        );
      }
      labels[n] = label;
      // CHW planes -> HWC.
      const src = offset + layout.labelBytes;
      const dst = n * PIXELS;
      for (let p = 0; p < PLANE; p++) {
        pixels[dst + 3 * p] = bytes[src + p] as number;
        pixels[dst + 3 * p + 1] = bytes[src + PLANE + p] as number;
        pixels[dst + 3 * p + 2] = bytes[src + 2 * PLANE + p] as number;
      }
    }
  }
  return { pixels, labels };
}

function readNames(path: string): string[] | undefined {
  if (!existsSync(path)) return undefined;
  const names = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return names;
}

function requireDir(dir: string, name: string, archive: string): void {
  if (!existsSync(dir)) {
    throw new LtlabError('DATA.MISSING', `${name} directory ${dir} does not exist.`, {
      fix: `Download ${archive} from https://www.cs.toronto.edu/~kriz/cifar.html, extract it and pass its folder as { dir }.`,
    });
  }
}

function split(
  paths: string[],
  layout: Parameters<typeof readCifarBinary>[1],
  names: string[] | undefined,
  what: string,
) {
  const { pixels, labels } = readCifarBinary(paths, layout);
  const classNames = names?.length === layout.numClasses ? names : undefined;
  return PixelSource.fromPixels(
    pixels,
    { height: SIDE, width: SIDE, channels: 3 },
    labels,
    layout.numClasses,
    classNames,
    what,
  );
}

/** The files a binary CIFAR directory holds: class names, training batches, test batches. */
export interface CifarFiles {
  names: string;
  train: string[];
  test: string[];
}

/** CIFAR-10's files under `dir` (`cifar-10-batches-bin`); a worker's data check stats the same. */
export function cifar10Files(dir: string): CifarFiles {
  return {
    names: join(dir, 'batches.meta.txt'),
    train: [1, 2, 3, 4, 5].map((k) => join(dir, `data_batch_${k}.bin`)),
    test: [join(dir, 'test_batch.bin')],
  };
}

/** CIFAR-100's files under `dir` (`cifar-100-binary`); a worker's data check stats the same. */
export function cifar100Files(dir: string): CifarFiles {
  return { names: join(dir, 'fine_label_names.txt'), train: [join(dir, 'train.bin')], test: [join(dir, 'test.bin')] };
}

/** CIFAR-10 binary version (`cifar-10-batches-bin`: data_batch_1..5.bin, test_batch.bin). */
export function cifar10(options: { dir: string }): CifarSplits {
  const { dir } = options;
  requireDir(dir, 'CIFAR-10', 'cifar-10-binary.tar.gz');
  const layout = { labelBytes: 1, labelOffset: 0, numClasses: 10 } as const;
  const files = cifar10Files(dir);
  const names = readNames(files.names);
  return {
    train: split(files.train, layout, names, 'CIFAR-10 train'),
    test: split(files.test, layout, names, 'CIFAR-10 test'),
  };
}

/** CIFAR-100 binary version (`cifar-100-binary`: train.bin, test.bin) with the 100 fine labels. */
export function cifar100(options: { dir: string }): CifarSplits {
  const { dir } = options;
  requireDir(dir, 'CIFAR-100', 'cifar-100-binary.tar.gz');
  // Each record is <coarse label><fine label><pixels>.
  const layout = { labelBytes: 2, labelOffset: 1, numClasses: 100 } as const;
  const files = cifar100Files(dir);
  const names = readNames(files.names);
  return {
    train: split(files.train, layout, names, 'CIFAR-100 train'),
    test: split(files.test, layout, names, 'CIFAR-100 test'),
  };
}
