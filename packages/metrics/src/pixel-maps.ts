import { LtlabError } from '@ltlab/core';

/**
 * A tensor as this package sees it, without importing TensorFlow.js (metrics is control plane,
 * docs/architecture.md §2): a `tf.Tensor` fits, and so does any object with a shape and a
 * synchronous read.
 */
export interface SyncPixelTensor {
  readonly shape: readonly number[];
  dataSync(): ArrayLike<number>;
}

/** A tensor read asynchronously (`tf.Tensor.data()`), the only read a GPU backend in Node allows. */
export interface AsyncPixelTensor {
  readonly shape: readonly number[];
  data(): Promise<ArrayLike<number>>;
}

/** Class ids per pixel, flattened in any order that labels and predictions share. */
export type PixelMap = ArrayLike<number> | SyncPixelTensor;

/** Values and, for a tensor, its shape (checked against the other map's shape). */
export interface ReadPixelMap {
  values: ArrayLike<number>;
  shape: readonly number[] | undefined;
}

export function isSyncPixelTensor(map: unknown): map is SyncPixelTensor {
  return hasShapeAnd(map, 'dataSync');
}

export function isAsyncPixelTensor(map: unknown): map is AsyncPixelTensor {
  return hasShapeAnd(map, 'data');
}

function hasShapeAnd(map: unknown, read: 'data' | 'dataSync'): boolean {
  if (typeof map !== 'object' || map === null || !('shape' in map) || !(read in map)) return false;
  return typeof (map as Partial<Record<typeof read, unknown>>)[read] === 'function';
}

export function readPixelMap(map: PixelMap): ReadPixelMap {
  if (isSyncPixelTensor(map)) return { values: map.dataSync(), shape: map.shape };
  return { values: map, shape: undefined };
}

export async function readPixelMapAsync(map: PixelMap | AsyncPixelTensor): Promise<ReadPixelMap> {
  // Prefer data(): dataSync() throws on webgpu in Node, and data() works on every backend.
  if (isAsyncPixelTensor(map)) return { values: await map.data(), shape: map.shape };
  return readPixelMap(map);
}

/**
 * Prediction and label maps must cover the same pixels: same length, and the same shape when both
 * are tensors. A mismatch means the logits were not resized to the label size before the argmax.
 */
export function checkSamePixels(predictions: ReadPixelMap, labels: ReadPixelMap, what: string): void {
  const sameShape =
    predictions.shape === undefined ||
    labels.shape === undefined ||
    (predictions.shape.length === labels.shape.length && predictions.shape.every((d, i) => d === labels.shape?.[i]));
  if (predictions.values.length === labels.values.length && sameShape) return;
  const describe = (m: ReadPixelMap) =>
    m.shape === undefined ? `${m.values.length} pixels` : `shape [${m.shape.join(', ')}]`;
  throw new LtlabError(
    'CONFIG.INVALID',
    `${what}: the predictions (${describe(predictions)}) and the labels (${describe(labels)}) cover different pixels.`,
    {
      fix: 'Resize the logits to the label size (bilinear) before the argmax, and pass the maps of the same images.',
      details: {
        predictions: predictions.shape ?? predictions.values.length,
        labels: labels.shape ?? labels.values.length,
      },
    },
  );
}
