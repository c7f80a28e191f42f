import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { backend_util, util } from '@tensorflow/tfjs-core';
import { allFloat32, ints, type NativeBackend, nativeKernel } from '../native-backend.js';

type Conv2DInfo = backend_util.Conv2DInfo;
type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

const FORWARD = 0;
const BACKWARD_DATA = 1;
const BACKWARD_WEIGHTS = 2;

/** The 18 parameters conv.cc reads, from TF.js's convolution geometry. */
function convShape(info: Conv2DInfo, groups: number): Int32Array {
  const { padInfo: p } = info;
  return ints([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    p.top,
    p.left,
    p.bottom,
    p.right,
    info.dilationHeight,
    info.dilationWidth,
    groups,
  ]);
}

/** The attributes of every TF.js convolution kernel this file covers (each uses a subset). */
interface ConvAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat?: string;
  dilations?: [number, number] | number;
  dimRoundingMode: Rounding;
  inputShape?: [number, number, number, number];
  filterShape?: [number, number, number, number];
  activation?: string;
}

type Shape4 = [number, number, number, number];

/** TF.js's geometry of a convolution, or undefined for NCHW (which the cpu kernel handles). */
function geometry(xShape: readonly number[], filterShape: readonly number[], attrs: ConvAttrs, depthwise: boolean) {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') return undefined;
  return backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
}

function forward(
  backend: NativeBackend,
  x: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
  groups: number,
  bias?: TensorInfo,
  relu = false,
): TensorInfo {
  const out = backend.output([info.batchSize, info.outHeight, info.outWidth, info.outChannels]);
  backend.addon.conv2d(
    FORWARD,
    backend.f32(x),
    backend.f32(filter),
    out.values,
    convShape(info, groups),
    bias === undefined ? null : backend.f32(bias),
    relu ? 1 : 0,
  );
  return out.info;
}

/** Backward data (a = dy, b = filter) or backward weights (a = x, b = dy) into a new `outShape` tensor. */
function backward(
  backend: NativeBackend,
  kind: typeof BACKWARD_DATA | typeof BACKWARD_WEIGHTS,
  a: TensorInfo,
  b: TensorInfo,
  outShape: readonly number[],
  info: Conv2DInfo,
  groups: number,
): TensorInfo {
  const out = backend.output([...outShape]);
  backend.addon.conv2d(kind, backend.f32(a), backend.f32(b), out.values, convShape(info, groups), null, 0);
  return out.info;
}

export const conv2dConfig: KernelConfig = nativeKernel('Conv2D', ({ inputs, attrs, backend }) => {
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const info = geometry(x.shape, filter.shape, attrs as unknown as ConvAttrs, false);
  if (info === undefined || !allFloat32(x, filter)) return undefined;
  return forward(backend, x, filter, info, 1);
});

export const fusedConv2dConfig: KernelConfig = nativeKernel('FusedConv2D', ({ inputs, attrs, backend }) => {
  const { x, filter, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined>;
  const { activation } = attrs as unknown as ConvAttrs;
  if (x === undefined || filter === undefined || preluActivationWeights !== undefined) return undefined;
  if (!allFloat32(x, filter, bias) || (activation !== 'linear' && activation !== 'relu')) return undefined;
  const info = geometry(x.shape, filter.shape, attrs as unknown as ConvAttrs, false);
  if (info === undefined) return undefined;
  if (bias !== undefined && util.sizeFromShape(bias.shape) !== info.outChannels) return undefined;
  return forward(backend, x, filter, info, 1, bias, activation === 'relu');
});

export const conv2dBackpropInputConfig: KernelConfig = nativeKernel(
  'Conv2DBackpropInput',
  ({ inputs, attrs, backend }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { inputShape } = attrs as unknown as Required<Pick<ConvAttrs, 'inputShape'>>;
    const info = geometry(inputShape, filter.shape, attrs as unknown as ConvAttrs, false);
    if (info === undefined || !allFloat32(dy, filter)) return undefined;
    return backward(backend, BACKWARD_DATA, dy, filter, inputShape, info, 1);
  },
);

/**
 * An input layer's filter gradient (at most this many input channels: raw pixels) is summed over
 * the batch in chunks of FILTER_GRAD_CHUNK images, the chunks' float32 results added in double.
 * Images with a constant background make each of its sums cancel: on Fashion-MNIST, ResNet-8's
 * conv1 sums 10^5 terms whose absolute values add up to 2.6e4 times the result, and oneDNN's
 * float32 accumulation over the whole batch of 124 was off by 1.9e-4 relative (2 images per
 * call: 1.7e-5, for 0.3 ms more on a 128-image batch). Deeper layers' filter gradients stayed
 * within 1e-5 of float64 (docs/benchmarks/2026-12-07-native-bn-statistics.md).
 */
const INPUT_LAYER_CHANNELS = 4;
const FILTER_GRAD_CHUNK = 2;

function backpropFilterInChunks(
  backend: NativeBackend,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: readonly number[],
  info: Conv2DInfo,
): TensorInfo {
  const out = backend.output([...filterShape]);
  const total = new Float64Array(out.values.length);
  const partial = new Float32Array(out.values.length);
  const xs = backend.f32(x);
  const dys = backend.f32(dy);
  const xImage = info.inHeight * info.inWidth * info.inChannels;
  const dyImage = info.outHeight * info.outWidth * info.outChannels;
  const shape = convShape(info, 1);
  for (let start = 0; start < info.batchSize; start += FILTER_GRAD_CHUNK) {
    const n = Math.min(FILTER_GRAD_CHUNK, info.batchSize - start);
    shape[0] = n;
    backend.addon.conv2d(
      BACKWARD_WEIGHTS,
      xs.subarray(start * xImage, (start + n) * xImage),
      dys.subarray(start * dyImage, (start + n) * dyImage),
      partial,
      shape,
      null,
      0,
    );
    for (let i = 0; i < total.length; i++) total[i] = (total[i] as number) + (partial[i] as number);
  }
  out.values.set(total);
  return out.info;
}

export const conv2dBackpropFilterConfig: KernelConfig = nativeKernel(
  'Conv2DBackpropFilter',
  ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { filterShape } = attrs as unknown as Required<Pick<ConvAttrs, 'filterShape'>>;
    const info = geometry(x.shape, filterShape, attrs as unknown as ConvAttrs, false);
    if (info === undefined || !allFloat32(x, dy)) return undefined;
    if (info.inChannels <= INPUT_LAYER_CHANNELS && info.batchSize > FILTER_GRAD_CHUNK)
      return backpropFilterInChunks(backend, x, dy, filterShape, info);
    return backward(backend, BACKWARD_WEIGHTS, x, dy, filterShape, info, 1);
  },
);

/**
 * Depthwise convolutions are grouped convolutions with one group per input channel: TF.js's
 * [kh, kw, C, multiplier] filter is oneDNN's grouped `hwigo` layout with i = 1.
 */
export const depthwiseConv2dConfig: KernelConfig = nativeKernel(
  'DepthwiseConv2dNative',
  ({ inputs, attrs, backend }) => {
    const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
    const info = geometry(x.shape, filter.shape, attrs as unknown as ConvAttrs, true);
    if (info === undefined || !allFloat32(x, filter)) return undefined;
    return forward(backend, x, filter, info, info.inChannels);
  },
);

export const depthwiseBackpropInputConfig: KernelConfig = nativeKernel(
  'DepthwiseConv2dNativeBackpropInput',
  ({ inputs, attrs, backend }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { inputShape } = attrs as unknown as Required<Pick<ConvAttrs, 'inputShape'>>;
    const info = geometry(inputShape, filter.shape, attrs as unknown as ConvAttrs, true);
    if (info === undefined || !allFloat32(dy, filter)) return undefined;
    return backward(backend, BACKWARD_DATA, dy, filter, inputShape, info, info.inChannels);
  },
);

export const depthwiseBackpropFilterConfig: KernelConfig = nativeKernel(
  'DepthwiseConv2dNativeBackpropFilter',
  ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { filterShape } = attrs as unknown as Required<Pick<ConvAttrs, 'filterShape'>>;
    const info = geometry(x.shape, filterShape, attrs as unknown as ConvAttrs, true);
    if (info === undefined || !allFloat32(x, dy)) return undefined;
    return backward(backend, BACKWARD_WEIGHTS, x, dy, filterShape, info, info.inChannels);
  },
);
