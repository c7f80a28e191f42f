import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { asWasmBackend, nhwc } from './wasm-heap.js';

interface DepthwiseBackpropAttrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type ConvInfo = tf.backend_util.Conv2DInfo;

/**
 * Visits every (input pixel, filter tap, output pixel) triple of a depthwise convolution,
 * handing the flat offsets of x/dx (channel 0), filter (channel 0) and dy (channel 0).
 */
function forEachTap(info: ConvInfo, visit: (xAt: number, wAt: number, yAt: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, filterHeight, filterWidth } = info;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let kh = 0; kh < filterHeight; kh++) {
        const y = oy * strideHeight + kh * dilationHeight - info.padInfo.top;
        if (y < 0 || y >= inHeight) continue;
        for (let ox = 0; ox < outWidth; ox++) {
          for (let kw = 0; kw < filterWidth; kw++) {
            const xx = ox * strideWidth + kw * dilationWidth - info.padInfo.left;
            if (xx < 0 || xx >= inWidth) continue;
            visit(
              ((b * inHeight + y) * inWidth + xx) * inChannels,
              (kh * filterWidth + kw) * outChannels,
              ((b * outHeight + oy) * outWidth + ox) * outChannels,
            );
          }
        }
      }
    }
  }
}

/** Missing on wasm; plain JS over the heap (depthwise layers are not in the project's models). */
function depthwiseBackpropInput({
  inputs,
  attrs,
  backend,
}: {
  inputs: Record<string, TensorInfo>;
  attrs: DepthwiseBackpropAttrs & { inputShape: [number, number, number, number] };
  backend: unknown;
}): TensorInfo {
  const wasm = asWasmBackend(backend);
  const filterInfo = inputs.filter as TensorInfo;
  const dyInfo = inputs.dy as TensorInfo;
  const filterShape = nhwc(filterInfo.shape, 'depthwise filter');
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const out = wasm.makeOutput([...attrs.inputShape], 'float32');
  const dx = wasm.typedArrayFromHeap(out) as Float32Array;
  const w = wasm.typedArrayFromHeap(filterInfo) as Float32Array;
  const dy = wasm.typedArrayFromHeap(dyInfo) as Float32Array;
  dx.fill(0);
  const channels = info.inChannels;
  const mult = filterShape[3];
  forEachTap(info, (xAt, wAt, yAt) => {
    for (let c = 0; c < channels; c++) {
      let acc = 0;
      for (let m = 0; m < mult; m++) acc += (dy[yAt + c * mult + m] as number) * (w[wAt + c * mult + m] as number);
      dx[xAt + c] = (dx[xAt + c] as number) + acc;
    }
  });
  return out;
}

function depthwiseBackpropFilter({
  inputs,
  attrs,
  backend,
}: {
  inputs: Record<string, TensorInfo>;
  attrs: DepthwiseBackpropAttrs & { filterShape: [number, number, number, number] };
  backend: unknown;
}): TensorInfo {
  const wasm = asWasmBackend(backend);
  const xInfo = inputs.x as TensorInfo;
  const dyInfo = inputs.dy as TensorInfo;
  const info = tf.backend_util.computeConv2DInfo(
    nhwc(xInfo.shape, 'depthwise x'),
    attrs.filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const out = wasm.makeOutput([...attrs.filterShape], 'float32');
  const dw = wasm.typedArrayFromHeap(out) as Float32Array;
  const x = wasm.typedArrayFromHeap(xInfo) as Float32Array;
  const dy = wasm.typedArrayFromHeap(dyInfo) as Float32Array;
  dw.fill(0);
  const channels = info.inChannels;
  const mult = attrs.filterShape[3];
  forEachTap(info, (xAt, wAt, yAt) => {
    for (let c = 0; c < channels; c++) {
      const xv = x[xAt + c] as number;
      for (let m = 0; m < mult; m++) {
        const k = c * mult + m;
        dw[wAt + k] = (dw[wAt + k] as number) + xv * (dy[yAt + k] as number);
      }
    }
  });
  return out;
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as KernelFunc,
};

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as KernelFunc,
};
