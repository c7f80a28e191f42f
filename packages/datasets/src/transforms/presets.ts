import type { PipelineSpec, TransformSpec } from './pipeline.js';

export interface PresetOptions {
  /** Output side length (32 for CIFAR, 28 for Fashion-MNIST). */
  size: number;
  /** A normalize step: `{ preset: 'cifar' }` or `{ mean, std }`. */
  normalize: Record<string, unknown>;
}

/**
 * PaCo's CIFAR two-view pipeline (docs/methods.md §13) at any size: the query view is `regular`
 * (RandomCrop pad size/8, flip, AutoAugment CIFAR-10, Cutout of half the side), the key view is
 * `sim_cifar` (RandomResizedCrop scale (0.2, 1), flip, ColorJitter(0.4, 0.4, 0.4, 0.1) p 0.8,
 * grayscale p 0.2, Gaussian blur p 0.5).
 */
export function pacoCifarViews(options: PresetOptions): TransformSpec {
  const { size } = options;
  const query: PipelineSpec = [
    { name: 'randomCrop', size, padding: Math.round(size / 8) },
    { name: 'horizontalFlip' },
    { name: 'autoAugmentCifar10' },
    { name: 'cutout', holes: 1, length: Math.round(size / 2) },
    { name: 'normalize', ...options.normalize },
  ];
  const key: PipelineSpec = [
    { name: 'randomResizedCrop', size, scale: [0.2, 1] },
    { name: 'horizontalFlip' },
    { name: 'colorJitter', brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, p: 0.8 },
    { name: 'randomGrayscale', p: 0.2 },
    { name: 'gaussianBlur', sigma: [0.1, 2], p: 0.5 },
    { name: 'normalize', ...options.normalize },
  ];
  return { views: [query, key] };
}

/** The standard CIFAR / ResLT training pipeline: RandomCrop(size, pad size/8), flip, normalise. */
export function standardCropFlip(options: PresetOptions): PipelineSpec {
  return [
    { name: 'randomCrop', size: options.size, padding: Math.round(options.size / 8) },
    { name: 'horizontalFlip' },
    { name: 'normalize', ...options.normalize },
  ];
}
