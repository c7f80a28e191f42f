import type { KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { assertChannelsLast, asTensor, nhwc, runKernel } from './wasm-heap.js';

interface Conv2DBackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: string;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * dW[kh,kw,ci,co] = sum_{n,oh,ow} xpad[n, oh*s + kh, ow*s + kw, ci] * dy[n,oh,ow,co] is itself a
 * convolution: batch = ci, channels = n of x^T ([ci,H,W,n]) against the filter dy^T
 * ([OH,OW,n,co]) with dilation = the forward stride. That runs on XNNPACK's Conv2D, about
 * 1.2-2.5x the forward time, instead of a scalar loop (wasm has no Conv2DBackpropFilter at all).
 */
export function conv2dBackpropFilterByConv(x: Tensor, dy: Tensor, attrs: Conv2DBackpropFilterAttrs): Tensor {
  assertChannelsLast(attrs.dataFormat, 'Conv2DBackpropFilter');
  const info = tf.backend_util.computeConv2DInfo(
    nhwc(x.shape, 'Conv2DBackpropFilter x'),
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const [fh, fw] = attrs.filterShape;
  return tf.tidy(() => {
    // Input rows the last filter tap of the last output row reaches, counted from the padded top.
    const needH = fh - 1 + (info.outHeight - 1) * info.strideHeight + 1;
    const needW = fw - 1 + (info.outWidth - 1) * info.strideWidth + 1;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    let xt = tf.transpose(x, [3, 1, 2, 0]);
    // Rows past needH never meet the filter: crop them so VALID yields exactly fh x fw.
    const keepH = Math.min(info.inHeight, needH - top);
    const keepW = Math.min(info.inWidth, needW - left);
    if (keepH < info.inHeight || keepW < info.inWidth) xt = tf.slice(xt, [0, 0, 0, 0], [-1, keepH, keepW, -1]);
    const bottom = needH - top - keepH;
    const right = needW - left - keepW;
    const dyt = tf.transpose(dy, [1, 2, 0, 3]);
    const pad: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    const dw = runKernel(
      'Conv2D',
      { x: xt, filter: dyt },
      { strides: [1, 1], pad, dilations: [info.strideHeight, info.strideWidth], dataFormat: 'NHWC' },
    );
    return tf.transpose(dw, [1, 2, 0, 3]);
  });
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: (({ inputs, attrs }: { inputs: Record<string, TensorInfo>; attrs: unknown }) =>
    conv2dBackpropFilterByConv(
      asTensor(inputs.x as TensorInfo),
      asTensor(inputs.dy as TensorInfo),
      attrs as Conv2DBackpropFilterAttrs,
    )) as unknown as KernelFunc,
};
