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
export {
  BACKGROUND_CLASS,
  FASHION_MNIST_SEG_LT_CLASSES,
  type FashionMnistSegLt,
  type FashionMnistSegLtOptions,
  fashionMnistSegLt,
  fashionMnistSegLtOptionsSchema,
  MIN_ITEM_FOREGROUND,
} from './segmentation/fashion-mnist-seg/fashion-mnist-seg-lt.js';
export {
  classesPresent,
  type ImageClassCounts,
  type ImageClassCountsOptions,
  imageClassCounts,
} from './segmentation/image-class-counts.js';
export {
  describeLut,
  type LabelLut,
  NOT_A_LABEL,
  reduceZeroLabelLut,
  tableLut,
  trainIdLut,
} from './segmentation/label-lut.js';
export { createLabelMap, IGNORE_INDEX, type LabelMap, type SegmentationSample } from './segmentation/label-map.js';
export type { SegmentationBatchData } from './segmentation/loader/segmentation-batch-builder.js';
export {
  type SegmentationBatch,
  SegmentationBatchLoader,
  type SegmentationLoaderOptions,
  segmentationLoaderOptionsSchema,
} from './segmentation/loader/segmentation-batch-loader.js';
export {
  openSegmentationSource,
  SEGMENTATION_SOURCE_NAMES,
  type SegmentationSourceEntry,
  type SegmentationSourceSpec,
  type SegmentationSplits,
  segmentationSourceRegistry,
  segmentationSourceSpecSchema,
} from './segmentation/segmentation-sources.js';
export { ade20kOptionsSchema, ade20kSource } from './segmentation/sources/ade20k.js';
export { cityscapesOptionsSchema, cityscapesSource } from './segmentation/sources/cityscapes.js';
export { cocoStuffOptionsSchema, cocoStuffSource, stuffThingMapsLut } from './segmentation/sources/coco-stuff.js';
export { decodeLabelFile } from './segmentation/sources/decode-label.js';
export {
  ADE20K_CLASSES,
  CITYSCAPES_CLASSES,
  COCO_STUFF_CLASSES,
} from './segmentation/sources/segmentation-class-names.js';
export { SegmentationFileSource } from './segmentation/sources/segmentation-file-source.js';
export { SegmentationPixelSource } from './segmentation/sources/segmentation-pixel-source.js';
export type {
  SegmentationFileRef,
  SegmentationPixelRef,
  SegmentationRef,
  SegmentationSource,
} from './segmentation/sources/segmentation-source.js';
export {
  compileSegmentationPipeline,
  SegmentationPipeline,
} from './segmentation/transforms/segmentation-pipeline.js';
export type {
  PadSpec,
  SegmentationTransform,
  SegmentationTransformEntry,
} from './segmentation/transforms/segmentation-transform.js';
export {
  SEGMENTATION_TRANSFORMS,
  segmentationTransformEntry,
  segmentationTransformRegistry,
} from './segmentation/transforms/segmentation-transform-registry.js';
export { type CifarSplits, cifar10, cifar100, readCifarBinary } from './sources/cifar-binary.js';
export {
  checkDataLocation,
  type DataCheck,
  type DataLocation,
  type DataSection,
  dataLocationFix,
  dataLocationOf,
  localRootVariable,
} from './sources/data-location.js';
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
export {
  type DatasetSourceEntry,
  type DatasetSourceSpec,
  type DatasetSplits,
  datasetSourceRegistry,
  datasetSourceSpecSchema,
  openDatasetSource,
} from './sources/source-registry.js';
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
export { TRANSFORMS, transformEntry, transformRegistry } from './transforms/registry.js';
export type { ImageTransform, OutputNormalization, TransformEntry } from './transforms/transform.js';
