import { defineRegistry, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import { cifar10, cifar100 } from './cifar-binary.js';
import { imageFolderSource } from './image-folder.js';
import { listFileSource } from './list-file.js';
import { FASHION_MNIST_DEFAULT_DIR, fashionMnist, mnist } from './mnist.js';
import type { DatasetSource } from './source.js';

/** The two splits of a classification data set: what the long-tail subset is cut from, and the test set. */
export interface DatasetSplits {
  train: DatasetSource;
  test: DatasetSource;
}

/** A data set by name: its options (what a run config writes beside `name`) and how to open its splits. */
export interface SourceEntry<Splits> {
  readonly name: string;
  readonly summary: string;
  /** The options beside `name`, strict. */
  readonly schema: z.ZodType<Record<string, unknown>>;
  /** Opens the splits from parsed options. */
  open(options: Record<string, unknown>): Splits;
}

/** A classification data set's entry. */
export type DatasetSourceEntry = SourceEntry<DatasetSplits>;

/** A registry entry whose `open` receives the options as its schema parsed them. */
export function sourceEntry<Splits, S extends z.ZodType<Record<string, unknown>>>(
  name: string,
  summary: string,
  schema: S,
  open: (options: z.output<S>) => Splits,
): SourceEntry<Splits> {
  return { name, summary, schema, open: (options) => open(options as z.output<S>) };
}

const root = z.string().min(1);

/**
 * Every classification data set, by the name a run config's `data.source` uses. Segmentation
 * data sets have their own registry (`segmentationSourceRegistry`), as their splits hold label maps.
 */
export const datasetSourceRegistry = defineRegistry<DatasetSourceEntry>('data-set source', [
  sourceEntry(
    'fashion-mnist',
    `Fashion-MNIST: 10 classes of 28x28 gray images, IDX files in root (default ${FASHION_MNIST_DEFAULT_DIR})`,
    z.strictObject({ root: root.optional() }),
    (o) => fashionMnist(o.root === undefined ? {} : { dir: o.root }),
  ),
  sourceEntry('mnist', 'MNIST: 10 digits, 28x28 gray, IDX files in root', z.strictObject({ root }), (o) =>
    mnist({ dir: o.root }),
  ),
  sourceEntry('cifar10', 'CIFAR-10: 10 classes, 32x32 RGB, the binary version in root', z.strictObject({ root }), (o) =>
    cifar10({ dir: o.root }),
  ),
  sourceEntry(
    'cifar100',
    'CIFAR-100: 100 fine classes, 32x32 RGB, the binary version in root',
    z.strictObject({ root }),
    (o) => cifar100({ dir: o.root }),
  ),
  sourceEntry(
    'list',
    'image files under root named by list files of `<relative path> <label>` lines (ImageNet-LT, iNaturalist)',
    z.strictObject({ root, trainList: root, testList: root }),
    (o) => {
      const train = listFileSource({ listFile: o.trainList, root: o.root });
      return { train, test: listFileSource({ listFile: o.testList, root: o.root, numClasses: train.numClasses }) };
    },
  ),
  sourceEntry(
    'image-folder',
    'torchvision ImageFolder layout: root/train/<class>/* and root/test/<class>/*',
    z.strictObject({ root }),
    (o) => ({
      train: imageFolderSource({ root: `${o.root}/train` }),
      test: imageFolderSource({ root: `${o.root}/test` }),
    }),
  ),
]);

/** `{ name: 'cifar10', root: '/data/cifar-10-batches-bin' }`: a classification data set as data. */
export const datasetSourceSpecSchema = z.looseObject({ name: z.string().min(1) });

export type DatasetSourceSpec = z.input<typeof datasetSourceSpecSchema>;

/**
 * Opens a classification data set by name. An unknown name is CONFIG.UNKNOWN_NAME with the nearest
 * known one; the options are checked by the source's own schema (CONFIG.INVALID naming each field).
 */
export function openDatasetSource(spec: DatasetSourceSpec): DatasetSplits {
  const { name, ...options } = parseOrThrow(datasetSourceSpecSchema, spec, 'data-set source');
  const entry = datasetSourceRegistry.get(name);
  return entry.open(parseOrThrow(entry.schema, options, `data-set source '${name}' options`));
}
