import { LtlabError } from '@ltlab/core';
import { applyLabelMap, checkIndices, countClasses } from './class-counts.js';
import { decodeImageFile } from './decode-image.js';
import type { DatasetSource, DecodeOptions, FileRef, Sample } from './source.js';

/** A source of image files (list files, image folders), decoded on demand with sharp. */
export class FileSource implements DatasetSource {
  readonly size: number;
  readonly numClasses: number;
  readonly classCounts: Int32Array;
  readonly classNames: readonly string[] | undefined;
  readonly labels: Int32Array;
  readonly imageRef: FileRef;

  constructor(
    paths: string[],
    labels: Int32Array,
    options: { numClasses: number; classNames?: readonly string[] | undefined; decode: DecodeOptions; what: string },
  ) {
    if (paths.length !== labels.length) {
      throw new LtlabError('INTERNAL', `${options.what}: ${paths.length} paths but ${labels.length} labels.`);
    }
    this.imageRef = { kind: 'files', paths, decode: options.decode };
    this.labels = labels;
    this.size = labels.length;
    this.numClasses = options.numClasses;
    this.classNames = options.classNames;
    this.classCounts = countClasses(labels, options.numClasses, options.what);
  }

  /** Absolute path of sample `index`. */
  path(index: number): string {
    const path = this.imageRef.paths[index];
    if (path === undefined)
      throw new LtlabError('CONFIG.INVALID', `Index ${index} is outside the source of ${this.size} samples.`);
    return path;
  }

  async load(index: number): Promise<Sample> {
    const image = await decodeImageFile(this.path(index), index, this.imageRef.decode);
    return { image, label: this.labels[index] as number };
  }

  subset(indices: ArrayLike<number>): FileSource {
    const picked = checkIndices(indices, this.size);
    return new FileSource(
      Array.from(picked, (i) => this.imageRef.paths[i] as string),
      Int32Array.from(picked, (i) => this.labels[i] as number),
      { numClasses: this.numClasses, classNames: this.classNames, decode: this.imageRef.decode, what: 'subset' },
    );
  }

  relabel(map: ArrayLike<number>): FileSource {
    const { labels, classNames } = applyLabelMap(this.labels, map, this.numClasses, this.classNames);
    return new FileSource(this.imageRef.paths, labels, {
      numClasses: this.numClasses,
      classNames,
      decode: this.imageRef.decode,
      what: 'relabelled source',
    });
  }
}
