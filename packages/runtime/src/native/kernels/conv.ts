import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
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

function channelsLast(dataFormat: unknown): boolean {
  return dataFormat === undefined || dataFormat === 'NHWC';
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

export const conv2dConfig: KernelConfig = nativeKernel('Conv2D', ({ inputs, attrs, backend }) => {
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as {
    strides: [number, number] | number;
    pad: Pad;
    dataFormat: string;
    dilations: [number, number] | number;
    dimRoundingMode: Rounding;
  };
  if (!allFloat32(x, filter) || !channelsLast(dataFormat)) return undefined;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
  );
  return forward(backend, x, filter, info, 1);
});

export const fusedConv2dConfig: KernelConfig = nativeKernel('FusedConv2D', ({ inputs, attrs, backend }) => {
  const { x, filter, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined>;
  const { strides, pad, dataFormat, dilations, dimRoundingMode, activation } = attrs as {
    strides: [number, number] | number;
    pad: Pad;
    dataFormat: string;
    dilations: [number, number] | number;
    dimRoundingMode: Rounding;
    activation: string;
  };
  if (x === undefined || filter === undefined || preluActivationWeights !== undefined) return undefined;
  if (!allFloat32(x, filter, bias) || !channelsLast(dataFormat)) return undefined;
  if (activation !== 'linear' && activation !== 'relu') return undefined;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
  );
  if (bias !== undefined && bias.shape.reduce((a, b) => a * b, 1) !== info.outChannels) return undefined;
  return forward(backend, x, filter, info, 1, bias, activation === 'relu');
});

export const conv2dBackpropInputConfig: KernelConfig = nativeKernel(
  'Conv2DBackpropInput',
  ({ inputs, attrs, backend }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { inputShape, strides, pad, dataFormat, dimRoundingMode } = attrs as {
      inputShape: [number, number, number, number];
      strides: [number, number] | number;
      pad: Pad;
      dataFormat: string;
      dimRoundingMode: Rounding;
    };
    if (!allFloat32(dy, filter) || !channelsLast(dataFormat)) return undefined;
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const out = backend.output([...inputShape]);
    backend.addon.conv2d(BACKWARD_DATA, backend.f32(dy), backend.f32(filter), out.values, convShape(info, 1), null, 0);
    return out.info;
  },
);

export const conv2dBackpropFilterConfig: KernelConfig = nativeKernel(
  'Conv2DBackpropFilter',
  ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as {
      strides: [number, number] | number;
      pad: Pad;
      dataFormat: string;
      dimRoundingMode: Rounding;
      filterShape: [number, number, number, number];
    };
    if (!allFloat32(x, dy) || !channelsLast(dataFormat)) return undefined;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const out = backend.output([...filterShape]);
    backend.addon.conv2d(BACKWARD_WEIGHTS, backend.f32(x), backend.f32(dy), out.values, convShape(info, 1), null, 0);
    return out.info;
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
    const { strides, pad, dilations, dimRoundingMode } = attrs as {
      strides: [number, number] | number;
      pad: Pad;
      dilations: [number, number] | number;
      dimRoundingMode: Rounding;
    };
    if (!allFloat32(x, filter)) return undefined;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      strides,
      dilations,
      pad,
      dimRoundingMode,
      true,
    );
    return forward(backend, x, filter, info, info.inChannels);
  },
);

export const depthwiseBackpropInputConfig: KernelConfig = nativeKernel(
  'DepthwiseConv2dNativeBackpropInput',
  ({ inputs, attrs, backend }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dilations, dimRoundingMode, inputShape } = attrs as {
      strides: [number, number] | number;
      pad: Pad;
      dilations: [number, number] | number;
      dimRoundingMode: Rounding;
      inputShape: [number, number, number, number];
    };
    if (!allFloat32(dy, filter)) return undefined;
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      dilations,
      pad,
      dimRoundingMode,
      true,
    );
    const out = backend.output([...inputShape]);
    backend.addon.conv2d(
      BACKWARD_DATA,
      backend.f32(dy),
      backend.f32(filter),
      out.values,
      convShape(info, info.inChannels),
      null,
      0,
    );
    return out.info;
  },
);

export const depthwiseBackpropFilterConfig: KernelConfig = nativeKernel(
  'DepthwiseConv2dNativeBackpropFilter',
  ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dilations, dimRoundingMode, filterShape } = attrs as {
      strides: [number, number] | number;
      pad: Pad;
      dilations: [number, number] | number;
      dimRoundingMode: Rounding;
      filterShape: [number, number, number, number];
    };
    if (!allFloat32(x, dy)) return undefined;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      dilations,
      pad,
      dimRoundingMode,
      true,
    );
    const out = backend.output([...filterShape]);
    backend.addon.conv2d(
      BACKWARD_WEIGHTS,
      backend.f32(x),
      backend.f32(dy),
      out.values,
      convShape(info, info.inChannels),
      null,
      0,
    );
    return out.info;
  },
);
