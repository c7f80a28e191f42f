import type { KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropInputByPhases } from './conv2d-backprop-input-phases.js';
import { assertChannelsLast, asTensor, nhwc, runKernel } from './wasm-heap.js';

interface Conv2DBackpropInputAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: string;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/**
 * dx is the full convolution of dy (zeros inserted between rows and columns when the forward
 * stride is > 1) with the filter rotated by 180 degrees and its in/out channels swapped. It runs
 * on XNNPACK's Conv2D; the stock wasm kernel is a scalar loop, 8-13x slower on 3x3 stride-1.
 * Equal strides > 1 take the phase decomposition instead (no inserted zeros; 1.5-2x faster on
 * ResNet's stride-2 layers); this composition remains for stride 1 and unequal strides.
 */
export function conv2dBackpropInput(dy: Tensor, filter: Tensor, attrs: Conv2DBackpropInputAttrs): Tensor {
  const info = forwardInfo(filter, attrs);
  if (info.strideHeight === info.strideWidth && info.strideHeight > 1) {
    return conv2dBackpropInputByPhases(dy, filter, {
      inHeight: info.inHeight,
      inWidth: info.inWidth,
      outHeight: info.outHeight,
      outWidth: info.outWidth,
      filterHeight: info.filterHeight,
      filterWidth: info.filterWidth,
      stride: info.strideHeight,
      padTop: info.padInfo.top,
      padLeft: info.padInfo.left,
    });
  }
  return conv2dBackpropInputByConv(dy, filter, attrs);
}

/** The forward convolution's geometry (NHWC only). */
function forwardInfo(filter: Tensor, attrs: Conv2DBackpropInputAttrs): tf.backend_util.Conv2DInfo {
  assertChannelsLast(attrs.dataFormat, 'Conv2DBackpropInput');
  return tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    nhwc(filter.shape, 'Conv2DBackpropInput filter'),
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

/** The zero-insertion composition (see conv2dBackpropInput). */
export function conv2dBackpropInputByConv(dy: Tensor, filter: Tensor, attrs: Conv2DBackpropInputAttrs): Tensor {
  const info = forwardInfo(filter, attrs);
  const filterShape = filter.shape as [number, number, number, number];
  const [fh, fw, , outC] = filterShape;
  const [n, oh, ow] = nhwc(dy.shape, 'Conv2DBackpropInput dy');
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  return tf.tidy(() => {
    let spread = dy;
    if (sh > 1 || sw > 1) {
      const cells = tf.reshape(dy, [n, oh, 1, ow, 1, outC]);
      const padded = tf.pad(cells, [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ]);
      spread = tf.reshape(padded, [n, oh * sh, ow * sw, outC]);
    }
    // dx[i] = sum_k spread[i + k - (fh-1-top)] * flipped[k]: pad by fh-1-top before, and after
    // as much as makes the output exactly inHeight; negative amounts become crops.
    const before = [fh - 1 - info.padInfo.top, fw - 1 - info.padInfo.left];
    const spreadLen = [spread.shape[1] as number, spread.shape[2] as number];
    const inLen = [info.inHeight, info.inWidth];
    const filterLen = [fh, fw];
    const begin = [0, 0];
    const size = [0, 0];
    const pads: [number, number][] = [
      [0, 0],
      [0, 0],
    ];
    for (let axis = 0; axis < 2; axis++) {
      const b = before[axis] as number;
      const total = (inLen[axis] as number) + (filterLen[axis] as number) - 1;
      const start = b < 0 ? -b : 0;
      const padBefore = Math.max(b, 0);
      const available = (spreadLen[axis] as number) - start;
      const after = total - padBefore - available;
      begin[axis] = start;
      size[axis] = after < 0 ? available + after : available;
      pads[axis] = [padBefore, Math.max(after, 0)];
    }
    const needsCrop = begin.some((v) => v > 0) || size[0] !== spreadLen[0] || size[1] !== spreadLen[1];
    if (needsCrop)
      spread = tf.slice(
        spread,
        [0, begin[0] as number, begin[1] as number, 0],
        [-1, size[0] as number, size[1] as number, -1],
      );
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    const [padH, padW] = pads as [[number, number], [number, number]];
    return runKernel(
      'Conv2D',
      { x: spread, filter: flipped },
      {
        strides: [1, 1],
        pad: [[0, 0], padH, padW, [0, 0]],
        dilations: [1, 1],
        dataFormat: 'NHWC',
      },
    );
  });
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: (({ inputs, attrs }: { inputs: Record<string, TensorInfo>; attrs: unknown }) =>
    conv2dBackpropInput(
      asTensor(inputs.dy as TensorInfo),
      asTensor(inputs.filter as TensorInfo),
      attrs as Conv2DBackpropInputAttrs,
    )) as unknown as KernelFunc,
};
