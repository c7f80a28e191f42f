import type { KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type HeapConv2D, heapConv2D } from './heap-conv2d.js';
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
  const info = convInfo(x, attrs);
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

/**
 * The same contraction cut into chunks of `rowsPerChunk` dy rows, each one Conv2D whose packed
 * filter (a row block of dy^T) stays in cache. x is laid out [H, ci, W, N] and read as a single
 * image of H·ci rows: with vertical dilation s·ci, output row kh·ci + i of the conv over the
 * window starting at row oh0·s·ci is Σ_j x[oh0·s + kh + j·s, i] · dy[oh0 + j], so every chunk
 * yields all fh·ci·fw outputs with no wasted rows, from contiguous blocks of two tensors.
 */
export function conv2dBackpropFilterByRowChunks(
  x: Tensor,
  dy: Tensor,
  attrs: Conv2DBackpropFilterAttrs,
  heap: HeapConv2D,
  rowsPerChunk: number,
): Tensor {
  const info = convInfo(x, attrs);
  const [fh, fw, ci, co] = attrs.filterShape;
  const { batchSize: n, outHeight: oh, outWidth: ow } = info;
  const sh = info.strideHeight;
  const needH = fh - 1 + (oh - 1) * sh + 1;
  const needW = fw - 1 + (ow - 1) * info.strideWidth + 1;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const keepH = Math.min(info.inHeight, needH - top);
  const keepW = Math.min(info.inWidth, needW - left);
  const right = needW - left - keepW;
  const chunks = Math.ceil(oh / rowsPerChunk);
  return tf.tidy(() => {
    let xc = keepH < info.inHeight || keepW < info.inWidth ? tf.slice(x, [0, 0, 0, 0], [-1, keepH, keepW, -1]) : x;
    if (top > 0 || needH - top - keepH > 0) {
      xc = tf.pad(xc, [
        [0, 0],
        [top, needH - top - keepH],
        [0, 0],
        [0, 0],
      ]);
    }
    const xt = tf.transpose(xc, [1, 3, 2, 0]);
    const dyt = tf.transpose(dy, [1, 2, 0, 3]);
    const outSize = fh * ci * fw * co;
    const partial = tf.zeros([chunks, fh, ci, fw, co]);
    const xAt = heap.offsetOf(xt);
    const dyAt = heap.offsetOf(dyt);
    const outAt = heap.offsetOf(partial);
    for (let c = 0; c < chunks; c++) {
      const oh0 = c * rowsPerChunk;
      const rows = Math.min(rowsPerChunk, oh - oh0);
      heap.run({
        x: xAt + oh0 * sh * ci * keepW * n * 4,
        filter: dyAt + oh0 * ow * n * co * 4,
        out: outAt + c * outSize * 4,
        batch: 1,
        inHeight: fh * ci + sh * ci * (rows - 1),
        inWidth: keepW,
        inChannels: n,
        filterHeight: rows,
        filterWidth: ow,
        outChannels: co,
        pad: [0, right, 0, left],
        dilationHeight: sh * ci,
        dilationWidth: info.strideWidth,
        outSize,
      });
    }
    const summed = chunks === 1 ? tf.reshape(partial, [fh, ci, fw, co]) : tf.sum(partial, 0);
    return tf.transpose(summed, [0, 2, 1, 3]);
  });
}

function convInfo(x: Tensor, attrs: Conv2DBackpropFilterAttrs): tf.backend_util.Conv2DInfo {
  assertChannelsLast(attrs.dataFormat, 'Conv2DBackpropFilter');
  return tf.backend_util.computeConv2DInfo(
    nhwc(x.shape, 'Conv2DBackpropFilter x'),
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

/** dy^T bytes per row chunk: two ResNet-32 rows at batch 128 (best of 1/2/4 rows measured). */
const CHUNK_BYTES = 512 * 1024;

/**
 * 1x1 filters without leading padding as one matmul; everything else as the row-chunked dilated
 * conv, or the unchunked one when the backend lacks the internals heap blocks need.
 */
export function conv2dBackpropFilter(
  x: Tensor,
  dy: Tensor,
  attrs: Conv2DBackpropFilterAttrs,
  backend: unknown,
): Tensor {
  const info = convInfo(x, attrs);
  if (info.filterHeight === 1 && info.filterWidth === 1 && info.padInfo.top === 0 && info.padInfo.left === 0) {
    return pointwiseBackpropFilter(x, dy, info);
  }
  const heap = heapConv2D(backend);
  if (heap === undefined) return conv2dBackpropFilterByConv(x, dy, attrs);
  const rowBytes = info.outWidth * info.batchSize * info.outChannels * 4;
  return conv2dBackpropFilterByRowChunks(x, dy, attrs, heap, Math.max(1, Math.round(CHUNK_BYTES / rowBytes)));
}

/**
 * 1x1 filter without leading padding: dW[0,0] = xs^T · dy, xs the pixels the filter reads
 * (every s-th row and column from 0). The dilated-conv composition transposes the whole x and
 * runs a 16x16-tap "filter"; this is 2-5x faster on ResNet's 1x1 stride-2 projections. xs comes
 * from a reshape that puts the stride phase in its own axis and a contiguous-row slice (wasm's
 * StridedSlice is a per-element loop, several times slower than the whole dW).
 */
function pointwiseBackpropFilter(x: Tensor, dy: Tensor, info: tf.backend_util.Conv2DInfo): Tensor {
  const { batchSize: n, inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow } = info;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  return tf.tidy(() => {
    // Rows past the input (bottom/right padding) read zeros; rows past oh·s are never read.
    const keepH = Math.min(info.inHeight, oh * sh);
    const keepW = Math.min(info.inWidth, ow * sw);
    let xs = keepH < info.inHeight || keepW < info.inWidth ? tf.slice(x, [0, 0, 0, 0], [-1, keepH, keepW, -1]) : x;
    if (keepH < oh * sh || keepW < ow * sw) {
      xs = tf.pad(xs, [
        [0, 0],
        [0, oh * sh - keepH],
        [0, ow * sw - keepW],
        [0, 0],
      ]);
    }
    if (sh > 1 || sw > 1) xs = tf.slice(tf.reshape(xs, [n * oh, sh, ow, sw * ci]), [0, 0, 0, 0], [-1, 1, -1, ci]);
    const m = n * oh * ow;
    return tf.reshape(tf.matMul(tf.reshape(xs, [m, ci]), tf.reshape(dy, [m, co]), true, false), [1, 1, ci, co]);
  });
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: (({ inputs, attrs, backend }: { inputs: Record<string, TensorInfo>; attrs: unknown; backend: unknown }) =>
    conv2dBackpropFilter(
      asTensor(inputs.x as TensorInfo),
      asTensor(inputs.dy as TensorInfo),
      attrs as Conv2DBackpropFilterAttrs,
      backend,
    )) as unknown as KernelFunc,
};
