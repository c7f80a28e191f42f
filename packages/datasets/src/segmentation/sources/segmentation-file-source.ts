import { join } from 'node:path';
import { LtlabError } from '@ltlab/core';
import { checkIndices } from '../../sources/class-counts.js';
import type { LabelLut } from '../label-lut.js';
import type { LabelMap, SegmentationSample } from '../label-map.js';
import {
  loadSegmentationLabel,
  loadSegmentationSample,
  type SegmentationFileRef,
  type SegmentationSource,
} from './segmentation-source.js';

export interface SegmentationFileSourceOptions {
  numClasses: number;
  classNames?: readonly string[] | undefined;
  labelLut: LabelLut;
  description: string;
  /** Directory every path is under; the statistics cache keys files by their path relative to it. */
  root: string;
  statsCacheFile: string | undefined;
}

/**
 * Where a file source's image-level class counts are cached by default: a hidden folder in the
 * dataset root, one JSON file per dataset split (its entries are keyed by the file list's fingerprint).
 */
export function statsCachePath(root: string, name: string): string {
  return join(root, '.ltlab', `image-class-counts.${name}.json`);
}

/** Image and label-map files (ADE20K, Cityscapes, COCO-Stuff), decoded on demand with sharp. */
export class SegmentationFileSource implements SegmentationSource {
  readonly size: number;
  readonly numClasses: number;
  readonly classNames: readonly string[] | undefined;
  readonly description: string;
  readonly ref: SegmentationFileRef;
  readonly root: string;
  readonly statsCacheFile: string | undefined;

  constructor(imagePaths: string[], labelPaths: string[], options: SegmentationFileSourceOptions) {
    if (imagePaths.length !== labelPaths.length) {
      throw new LtlabError(
        'INTERNAL',
        `${options.description}: ${imagePaths.length} images, ${labelPaths.length} labels.`,
      );
    }
    if (options.classNames !== undefined && options.classNames.length !== options.numClasses) {
      throw new LtlabError(
        'INTERNAL',
        `${options.description}: ${options.classNames.length} names for ${options.numClasses} classes.`,
      );
    }
    this.ref = { kind: 'segmentation-files', imagePaths, labelPaths, labelLut: options.labelLut };
    this.size = imagePaths.length;
    this.numClasses = options.numClasses;
    this.classNames = options.classNames;
    this.description = options.description;
    this.root = options.root;
    this.statsCacheFile = options.statsCacheFile;
  }

  load(index: number): Promise<SegmentationSample> {
    return loadSegmentationSample(this.ref, index);
  }

  loadLabel(index: number): Promise<LabelMap> {
    return loadSegmentationLabel(this.ref, index);
  }

  subset(indices: ArrayLike<number>): SegmentationFileSource {
    const picked = checkIndices(indices, this.size);
    return new SegmentationFileSource(
      Array.from(picked, (i) => this.ref.imagePaths[i] as string),
      Array.from(picked, (i) => this.ref.labelPaths[i] as string),
      {
        numClasses: this.numClasses,
        classNames: this.classNames,
        labelLut: this.ref.labelLut,
        description: `subset of ${this.description}`,
        root: this.root,
        statsCacheFile: this.statsCacheFile,
      },
    );
  }
}
