export { cloneImage, createImage, type Image } from './image.js';
export {
  type Batch,
  BatchLoader,
  type IndexOrder,
  type LoaderOptions,
  type LoaderProgress,
  loaderOptionsSchema,
} from './loader/batch-loader.js';
export {
  type LongTailCountsOptions,
  longTailCounts,
  longTailCountsOptionsSchema,
  longTailOptionsSchema,
  longTailSubset,
} from './long-tail.js';
export { frequencyRelabelMap } from './relabel.js';
export { type CifarSplits, cifar10, cifar100, readCifarBinary } from './sources/cifar-binary.js';
export { decodeImageFile } from './sources/decode-image.js';
export { FileSource } from './sources/file-source.js';
export { type IdxArray, parseIdx, readIdxFile } from './sources/idx-file.js';
export { imageFolderOptionsSchema, imageFolderSource } from './sources/image-folder.js';
export {
  decodeOptionsSchema,
  type ListFileOptions,
  listFileOptionsSchema,
  listFileSource,
} from './sources/list-file.js';
export {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DEFAULT_DIR,
  fashionMnist,
  type IdxSplits,
  mnist,
} from './sources/mnist.js';
export { PixelSource } from './sources/pixel-source.js';
export type { DatasetSource, DecodeOptions, FileRef, ImageRef, PixelRef, Sample } from './sources/source.js';
export { CIFAR10_POLICY } from './transforms/auto-augment.js';
export { NORMALIZATION_PRESETS } from './transforms/normalize.js';
export {
  compilePipeline,
  compileViews,
  Pipeline,
  type PipelineSpec,
  pipelineSpecSchema,
  sampleRng,
  type TransformSpec,
  transformSpecSchema,
} from './transforms/pipeline.js';
export { type PresetOptions, pacoCifarViews, standardCropFlip } from './transforms/presets.js';
export { parseRandAugmentConfig, RAND_AUGMENT_OPS } from './transforms/rand-augment.js';
export { TRANSFORMS, transformEntry } from './transforms/registry.js';
export type { ImageTransform, OutputNormalization, TransformEntry } from './transforms/transform.js';
