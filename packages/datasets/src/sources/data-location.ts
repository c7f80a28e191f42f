import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ADE20K_DIRS } from '../segmentation/sources/ade20k.js';
import { CITYSCAPES_DIRS } from '../segmentation/sources/cityscapes.js';
import { COCO_STUFF_DIRS } from '../segmentation/sources/coco-stuff.js';
import { cifar10Files, cifar100Files } from './cifar-binary.js';
import { FASHION_MNIST_DEFAULT_DIR, IDX_FILES, idxFileCandidates } from './mnist.js';

/**
 * Where a run's data set must be on a host, resolved the way the trainer opens it: the config's
 * path (`data.root`, `data.source.root`), else the machine-local `LTLAB_<SOURCE>_DIR`, else the
 * source's default (Fashion-MNIST: Debian's `dataset-fashion-mnist`). Workers check it before a
 * run starts and report the well-known ones in their heartbeat (docs/deploy.md, "Data sets").
 */
export interface DataLocation {
  /** The source's registry name (`fashion-mnist`, `list`, `ade20k`, ...). */
  source: string;
  /** The directory the source reads; null when nothing names one (no root, no variable set). */
  path: string | null;
  /** Where the path came from: `data.root`, `data.source.root`, `LTLAB_MNIST_DIR`, `default`. */
  via: string;
  /** What must exist there, absolute; each entry is a list of alternatives (`x.gz` or `x`). */
  needs: readonly (readonly string[])[];
}

/** Whether a location holds its data set; `missing` is the first file or directory not found. */
export interface DataCheck {
  present: boolean;
  missing: string | null;
}

/** `fashion-mnist` -> `LTLAB_FASHION_MNIST_DIR`: a machine-local copy, not a hyperparameter. */
export function localRootVariable(source: string): string {
  return `LTLAB_${source.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_DIR`;
}

/**
 * The data part of a run config as the locations need it, classification (`source` a name, with
 * `root`, `trainList`, `testList`) or segmentation (`source: { name, root | dir }`). Loose: it also
 * reads a recipe file before its full parse.
 */
const dataSectionSchema = z.looseObject({
  source: z.union([
    z.string().min(1),
    z.looseObject({ name: z.string().min(1), root: z.string().optional(), dir: z.string().optional() }),
  ]),
  root: z.string().optional(),
  trainList: z.string().optional(),
  testList: z.string().optional(),
});

export type DataSection = z.input<typeof dataSectionSchema>;

/** Each file of `files` as its own need (no alternatives). */
const each = (files: readonly string[]): string[][] => files.map((file) => [file]);

/** What each source opens under its directory, from the loaders' own file lists. */
function needsOf(source: string, dir: string, section: z.output<typeof dataSectionSchema>): string[][] {
  switch (source) {
    case 'fashion-mnist':
    case 'mnist':
    case 'fashion-mnist-seg-lt':
      return IDX_FILES.map(([stem, type]) => idxFileCandidates(dir, stem, type));
    case 'cifar10':
    case 'cifar100': {
      const files = source === 'cifar10' ? cifar10Files(dir) : cifar100Files(dir);
      return each([files.names, ...files.train, ...files.test]);
    }
    case 'list':
      return [[dir], ...[section.trainList, section.testList].flatMap((file) => (file === undefined ? [] : [[file]]))];
    case 'image-folder':
      return each([join(dir, 'train'), join(dir, 'test')]);
    case 'ade20k':
      return each([join(dir, ADE20K_DIRS.images), join(dir, ADE20K_DIRS.labels)]);
    case 'coco-stuff-164k':
      return each([join(dir, COCO_STUFF_DIRS.images), join(dir, COCO_STUFF_DIRS.labels)]);
    case 'cityscapes':
      return each([join(dir, CITYSCAPES_DIRS.images), join(dir, CITYSCAPES_DIRS.labels)]);
    default:
      return [[dir]];
  }
}

/** The sources that fall back to Debian's Fashion-MNIST when nothing else names a directory. */
const FASHION_MNIST_SOURCES = new Set(['fashion-mnist', 'fashion-mnist-seg-lt']);

/**
 * Where a run config's `data` must be found on this host. The order of precedence is the
 * trainer's (packages/train training-data.ts and segmentation-task.ts): the config's path, then
 * `LTLAB_<SOURCE>_DIR` (Fashion-MNIST-Seg-LT reads `LTLAB_FASHION_MNIST_DIR`), then the default.
 */
export function dataLocationOf(data: DataSection, env: NodeJS.ProcessEnv = process.env): DataLocation {
  const section = dataSectionSchema.parse(data);
  const spec = section.source;
  const source = typeof spec === 'string' ? spec : spec.name;
  const configured =
    typeof spec === 'string'
      ? section.root === undefined
        ? null
        : { path: section.root, via: 'data.root' }
      : spec.root !== undefined
        ? { path: spec.root, via: 'data.source.root' }
        : spec.dir !== undefined
          ? { path: spec.dir, via: 'data.source.dir' }
          : null;
  const variable = localRootVariable(source === 'fashion-mnist-seg-lt' ? 'fashion-mnist' : source);
  const local = env[variable];
  const found =
    configured ??
    (local !== undefined && local !== ''
      ? { path: local, via: variable }
      : FASHION_MNIST_SOURCES.has(source)
        ? { path: FASHION_MNIST_DEFAULT_DIR, via: 'default' }
        : null);
  if (found === null) return { source, path: null, via: variable, needs: [] };
  return { source, path: found.path, via: found.via, needs: needsOf(source, found.path, section) };
}

/** Stats the location's needs (a few `existsSync` calls; no directory listing). */
export function checkDataLocation(location: DataLocation): DataCheck {
  if (location.path === null) return { present: false, missing: null };
  for (const alternatives of location.needs) {
    if (!alternatives.some((path) => existsSync(path))) return { present: false, missing: alternatives[0] ?? null };
  }
  return { present: true, missing: null };
}

/**
 * How to put a missing data set in place: what the source expects in its directory, and the
 * ways to point the trainer at it (the config's path, or the machine-local variable).
 */
export function dataLocationFix(location: DataLocation): string {
  const variable = location.via.startsWith('LTLAB_')
    ? location.via
    : localRootVariable(location.source === 'fashion-mnist-seg-lt' ? 'fashion-mnist' : location.source);
  if (location.path === null) {
    return `Point data.root at the data set in the run config, or set ${variable} to its directory on this host.`;
  }
  const what = FILES_OF[location.source] ?? 'the data set';
  if (location.via === 'default') {
    return (
      `Install it with 'apt-get install dataset-fashion-mnist' (files go to ${FASHION_MNIST_DEFAULT_DIR}), ` +
      `or put ${what} in a directory and set ${variable} to it.`
    );
  }
  if (location.via === variable) {
    return `Put ${what} into ${location.path} (mount or copy it there), or set ${variable} to where they are on this host.`;
  }
  return (
    `Put ${what} at ${location.path} on this host (mount or copy it there; with docker-compose, under ` +
    `LTLAB_DATASETS_DIR, which workers see as /data/datasets), or point ${location.via} at where it is.`
  );
}

const IDX_TEXT = `four IDX files (${IDX_FILES.map(([stem, type]) => `${stem}-${type}(.gz)`).join(', ')})`;
const FILES_OF: Readonly<Record<string, string>> = {
  'fashion-mnist': `Fashion-MNIST's ${IDX_TEXT}`,
  'fashion-mnist-seg-lt': `Fashion-MNIST's ${IDX_TEXT}`,
  mnist: `MNIST's ${IDX_TEXT}`,
  cifar10: 'the binary version of CIFAR-10 (data_batch_1..5.bin, test_batch.bin, batches.meta.txt)',
  cifar100: 'the binary version of CIFAR-100 (train.bin, test.bin, fine_label_names.txt)',
  list: 'the images and their list files',
  'image-folder': 'the train/<class>/ and test/<class>/ folders',
  ade20k: 'ADEChallengeData2016 (images/, annotations/)',
  'coco-stuff-164k': 'COCO-Stuff 164k (images/, annotations/)',
  cityscapes: 'Cityscapes (leftImg8bit/, gtFine/)',
};
