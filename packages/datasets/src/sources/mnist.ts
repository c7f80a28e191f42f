import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LtlabError } from '@ltlab/core';
import { readIdxFile } from './idx-file.js';
import { PixelSource } from './pixel-source.js';

/** Where Debian's `dataset-fashion-mnist` package installs the files. */
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export interface IdxSplits {
  train: PixelSource;
  test: PixelSource;
}

type IdxFile = readonly [stem: string, type: string];

/** A split's images and labels files, as (stem, type): `train-images` + `idx3-ubyte`. */
const IDX_FILES_OF = {
  train: { images: ['train-images', 'idx3-ubyte'], labels: ['train-labels', 'idx1-ubyte'] },
  test: { images: ['t10k-images', 'idx3-ubyte'], labels: ['t10k-labels', 'idx1-ubyte'] },
} as const satisfies Record<string, { images: IdxFile; labels: IdxFile }>;

/** The four IDX files of an MNIST-format directory. */
export const IDX_FILES: readonly IdxFile[] = Object.values(IDX_FILES_OF).flatMap((files) => [
  files.images,
  files.labels,
]);

/**
 * The paths under which `dir` may hold one IDX file, in the order the loader tries them: gzip or
 * plain, a hyphen or a dot before the type. A worker's data check accepts the same
 * (data-location.ts).
 */
export function idxFileCandidates(dir: string, stem: string, type: string): string[] {
  return [`${stem}-${type}.gz`, `${stem}-${type}`, `${stem}.${type}`, `${stem}.${type}.gz`].map((file) =>
    join(dir, file),
  );
}

/**
 * Fashion-MNIST (Xiao et al., 2017): 60,000 train / 10,000 test 28x28x1 images of 10 classes.
 * `dir` defaults to the Debian package's location; gzip or plain IDX files are accepted.
 */
export function fashionMnist(options: { dir?: string } = {}): IdxSplits {
  const dir = options.dir ?? FASHION_MNIST_DEFAULT_DIR;
  return readIdxSplits(dir, 'Fashion-MNIST', FASHION_MNIST_CLASSES, {
    fix:
      options.dir === undefined
        ? `Install it with 'sudo apt-get install dataset-fashion-mnist' (files go to ${FASHION_MNIST_DEFAULT_DIR}), ` +
          'or download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and ' +
          't10k-labels-idx1-ubyte.gz from https://github.com/zalandoresearch/fashion-mnist and pass { dir }.'
        : `Put train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), t10k-images-idx3-ubyte(.gz) and ` +
          `t10k-labels-idx1-ubyte(.gz) from https://github.com/zalandoresearch/fashion-mnist into ${dir}.`,
  });
}

/** MNIST (LeCun et al., 1998) from a directory of its four IDX files (gzip or plain). */
export function mnist(options: { dir: string }): IdxSplits {
  return readIdxSplits(options.dir, 'MNIST', ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], {
    fix: `Put train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), t10k-images-idx3-ubyte(.gz) and t10k-labels-idx1-ubyte(.gz) into ${options.dir}.`,
  });
}

function readIdxSplits(dir: string, name: string, classNames: readonly string[], hint: { fix: string }): IdxSplits {
  const split = (which: keyof typeof IDX_FILES_OF) => {
    const files = IDX_FILES_OF[which];
    const imagesPath = findIdx(dir, files.images, name, hint.fix);
    const labelsPath = findIdx(dir, files.labels, name, hint.fix);
    const images = readIdxFile(imagesPath);
    const labels = readIdxFile(labelsPath);
    const [count, height, width] = images.dims;
    if (images.dims.length !== 3 || count === undefined || height === undefined || width === undefined) {
      throw new LtlabError('DATA.CORRUPT', `${imagesPath} has dims [${images.dims.join(', ')}], not [n, h, w].`);
    }
    if (labels.dims.length !== 1 || labels.dims[0] !== count) {
      throw new LtlabError('DATA.CORRUPT', `${labelsPath} holds ${labels.dims[0]} labels for ${count} images.`, {
        details: { imagesPath, labelsPath },
      });
    }
    return PixelSource.fromPixels(
      images.data,
      { height, width, channels: 1 },
      Int32Array.from(labels.data),
      classNames.length,
      classNames,
      labelsPath,
    );
  };
  return { train: split('train'), test: split('test') };
}

/** `train-images-idx3-ubyte.gz`, `train-images-idx3-ubyte` or MNIST's `train-images.idx3-ubyte`. */
function findIdx(dir: string, [stem, type]: IdxFile, name: string, fix: string): string {
  const candidates = idxFileCandidates(dir, stem, type);
  const found = candidates.find((path) => existsSync(path));
  if (found !== undefined) return found;
  const files = candidates.map((path) => basename(path));
  throw new LtlabError('DATA.MISSING', `${name}: no ${files[0]} (or plain ${files[1]}) in ${dir}.`, {
    fix,
    details: { dir, looked: files },
  });
}
