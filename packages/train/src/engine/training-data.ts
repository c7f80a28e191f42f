import type { ClassificationRunConfig as RunConfig } from '@ltlab/config';
import { LtlabError } from '@ltlab/core';
import {
  cifar10,
  cifar100,
  type DatasetSource,
  fashionMnist,
  frequencyRelabelMap,
  imageFolderSource,
  listFileSource,
  longTailSubset,
  mnist,
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

function openSource(data: RunConfig['data']): { train: DatasetSource; test: DatasetSource } {
  const need = (field: 'root' | 'trainList' | 'testList'): string => {
    const value = data[field];
    if (value === undefined) {
      throw new LtlabError('CONFIG.INVALID', `data.${field} is required for the '${data.source}' source.`, {
        fix: `Set data.${field} in the run config.`,
      });
    }
    return value;
  };
  switch (data.source) {
    case 'fashion-mnist': {
      // A machine-local copy (not a hyperparameter) may replace the default Debian location.
      const dir = data.root ?? process.env.LTLAB_FASHION_MNIST_DIR;
      return fashionMnist(dir === undefined ? {} : { dir });
    }
    case 'mnist':
      return mnist({ dir: need('root') });
    case 'cifar10':
      return cifar10({ dir: need('root') });
    case 'cifar100':
      return cifar100({ dir: need('root') });
    case 'list': {
      const root = need('root');
      const train = listFileSource({ listFile: need('trainList'), root });
      return { train, test: listFileSource({ listFile: need('testList'), root, numClasses: train.numClasses }) };
    }
    case 'image-folder': {
      const root = need('root');
      return { train: imageFolderSource({ root: `${root}/train` }), test: imageFolderSource({ root: `${root}/test` }) };
    }
  }
}

function imageShapeOf(source: DatasetSource): [number, number, number] {
  const ref = source.imageRef;
  if (ref.kind === 'pixels') return [ref.height, ref.width, ref.channels];
  const size = ref.decode.size;
  // File sources are resized by their transforms; the channel count is what the model needs.
  return [size?.height ?? 224, size?.width ?? 224, ref.decode.channels];
}
