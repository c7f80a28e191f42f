import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { allFloat32, ints, type NativeBackend, nativeKernel } from '../native-backend.js';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: Pad;
  dimRoundingMode: Rounding;
}

function poolShape(info: backend_util.Conv2DInfo, max: boolean): Int32Array {
  const p = info.padInfo;
  return ints([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    p.top,
    p.left,
    p.bottom,
    p.right,
    max ? 1 : 0,
  ]);
}

function geometry(xShape: readonly number[], attrs: PoolAttrs): backend_util.Conv2DInfo {
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  return backend_util.computePool2DInfo(
    xShape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
}

function forward(backend: NativeBackend, x: TensorInfo, attrs: PoolAttrs, max: boolean): TensorInfo | undefined {
  if (!allFloat32(x) || x.shape.length !== 4) return undefined;
  const info = geometry(x.shape, attrs);
  const out = backend.output([info.batchSize, info.outHeight, info.outWidth, info.outChannels]);
  backend.addon.pool2d(0, poolShape(info, max), backend.f32(x), null, out.values);
  return out.info;
}

export const maxPoolConfig: KernelConfig = nativeKernel('MaxPool', ({ inputs, attrs, backend }) =>
  forward(backend, (inputs as { x: TensorInfo }).x, attrs as unknown as PoolAttrs, true),
);

export const avgPoolConfig: KernelConfig = nativeKernel('AvgPool', ({ inputs, attrs, backend }) =>
  forward(backend, (inputs as { x: TensorInfo }).x, attrs as unknown as PoolAttrs, false),
);

export const maxPoolGradConfig: KernelConfig = nativeKernel('MaxPoolGrad', ({ inputs, attrs, backend }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  if (!allFloat32(dy, input) || input.shape.length !== 4) return undefined;
  const info = geometry(input.shape, attrs as unknown as PoolAttrs);
  const out = backend.output([...input.shape]);
  backend.addon.pool2d(1, poolShape(info, true), backend.f32(dy), backend.f32(input), out.values);
  return out.info;
});

export const avgPoolGradConfig: KernelConfig = nativeKernel('AvgPoolGrad', ({ inputs, attrs, backend }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  if (!allFloat32(dy) || input.shape.length !== 4) return undefined;
  const info = geometry(input.shape, attrs as unknown as PoolAttrs);
  const out = backend.output([...input.shape]);
  backend.addon.pool2d(1, poolShape(info, false), backend.f32(dy), null, out.values);
  return out.info;
});
