import type { ClassificationRunConfig as RunConfig } from '@ltlab/config';
import {
  type DatasetSource,
  type DatasetSplits,
  frequencyRelabelMap,
  localRootVariable,
  longTailSubset,
  openDatasetSource,
} from '@ltlab/datasets';
import { holdOutValidation } from './validation-split.js';

export interface TrainingData {
  train: DatasetSource;
  test: DatasetSource;
  /** Held out of the training set by `data.validation`; null without one. */
  validation: DatasetSource | null;
  numClasses: number;
  /** Training images per class, after the long-tail subset and any relabelling. */
  classCounts: Int32Array;
  /** `[height, width, channels]` of the stored images. */
  imageShape: [number, number, number];
}

/**
 * Opens the configured source, cuts its long-tailed training subset, holds out the validation
 * split and relabels if asked (by the counts actually trained on).
 */
export function buildTrainingData(data: RunConfig['data']): TrainingData {
  const { train: fullTrain, test: fullTest } = openSource(data);
  let train = data.longTail === undefined ? fullTrain : longTailSubset(fullTrain, data.longTail);
  let validation: DatasetSource | null = null;
  if (data.validation !== undefined) ({ train, validation } = holdOutValidation(train, data.validation));
  let test = fullTest;
  if (data.relabelByFrequency) {
    const map = frequencyRelabelMap(train.classCounts);
    train = train.relabel(map);
    test = test.relabel(map);
    validation = validation?.relabel(map) ?? null;
  }
  return {
    train,
    test,
    validation,
    numClasses: train.numClasses,
    classCounts: train.classCounts,
    imageShape: imageShapeOf(train),
  };
}

/**
 * The configured source through the data-set source registry of @ltlab/datasets, with the
 * options the config sets (each source's schema rejects one it does not read). A machine-local
 * copy (not a hyperparameter, so not in the config) may supply a missing `root`:
 * `LTLAB_<SOURCE>_DIR`, e.g. `LTLAB_FASHION_MNIST_DIR` (docs/deploy.md).
 */
function openSource(data: RunConfig['data']): DatasetSplits {
  const root = data.root ?? process.env[localRootVariable(data.source)];
  const options = { root, trainList: data.trainList, testList: data.testList };
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return openDatasetSource({ name: data.source, ...given });
}

function imageShapeOf(source: DatasetSource): [number, number, number] {
  const ref = source.imageRef;
  if (ref.kind === 'pixels') return [ref.height, ref.width, ref.channels];
  const size = ref.decode.size;
  // File sources are resized by their transforms; the channel count is what the model needs.
  return [size?.height ?? 224, size?.width ?? 224, ref.decode.channels];
}
