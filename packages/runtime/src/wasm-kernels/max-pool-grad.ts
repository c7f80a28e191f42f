import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { asWasmBackend, nhwc } from './wasm-heap.js';

interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Routes each dy to the first maximum of its window, padding excluded, as the cpu backend does.
 * The stock wasm kernel starts its running maximum at 0, so a window whose values are all <= 0
 * loses its gradient. Plain JS over the wasm heap: max pooling appears once per ImageNet ResNet.
 */
function maxPoolGrad({
  inputs,
  attrs,
  backend,
}: {
  inputs: Record<string, TensorInfo>;
  attrs: MaxPoolGradAttrs;
  backend: unknown;
}): TensorInfo {
  const wasm = asWasmBackend(backend);
  const dyInfo = inputs.dy as TensorInfo;
  const xInfo = inputs.input as TensorInfo;
  const info = tf.backend_util.computePool2DInfo(
    nhwc(xInfo.shape, 'MaxPoolGrad input'),
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  // makeOutput may grow the heap, which detaches older views: take the views after it.
  const out = wasm.makeOutput([...xInfo.shape], 'float32');
  const dx = wasm.typedArrayFromHeap(out) as Float32Array;
  const x = wasm.typedArrayFromHeap(xInfo) as Float32Array;
  const dy = wasm.typedArrayFromHeap(dyInfo) as Float32Array;
  dx.fill(0);
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * c;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      const yStart = Math.max(0, y0);
      const yEnd = Math.min(inHeight, y0 + filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        const xStart = Math.max(0, x0);
        const xEnd = Math.min(inWidth, x0 + filterWidth);
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = Number.NEGATIVE_INFINITY;
          let bestAt = -1;
          for (let yy = yStart; yy < yEnd; yy++) {
            for (let xx = xStart; xx < xEnd; xx++) {
              const at = xBatch + (yy * inWidth + xx) * c + ch;
              const v = x[at] as number;
              if (v > best) {
                best = v;
                bestAt = at;
              }
            }
          }
          if (bestAt >= 0) dx[bestAt] = (dx[bestAt] as number) + (dy[dyBase + ch] as number);
        }
      }
    }
  }
  return out;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
