import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend } from './wasm-heap.js';

/**
 * out[s, ...] = sum of x[i, ...] over the i whose segmentIds[i] == s; ids outside
 * [0, numSegments) are dropped. Missing on wasm; it is the gradient of `tf.gather`.
 */
function unsortedSegmentSum({
  inputs,
  attrs,
  backend,
}: {
  inputs: Record<string, TensorInfo>;
  attrs: { numSegments: number };
  backend: unknown;
}): TensorInfo {
  const wasm = asWasmBackend(backend);
  const xInfo = inputs.x as TensorInfo;
  const idsInfo = inputs.segmentIds as TensorInfo;
  const idCount = idsInfo.shape.reduce((a, b) => a * b, 1);
  const inner = xInfo.shape.slice(idsInfo.shape.length).reduce((a, b) => a * b, 1);
  const out = wasm.makeOutput([attrs.numSegments, ...xInfo.shape.slice(idsInfo.shape.length)], xInfo.dtype);
  const o = wasm.typedArrayFromHeap(out);
  const x = wasm.typedArrayFromHeap(xInfo);
  const ids = wasm.typedArrayFromHeap(idsInfo);
  o.fill(0);
  for (let i = 0; i < idCount; i++) {
    const s = ids[i] as number;
    if (s < 0 || s >= attrs.numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let k = 0; k < inner; k++) o[to + k] = (o[to + k] as number) + (x[from + k] as number);
  }
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
