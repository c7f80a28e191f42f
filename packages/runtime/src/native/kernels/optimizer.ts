import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { allFloat32, nativeKernel } from '../native-backend.js';

/** SGD with momentum on one parameter: outputs [param] or, with momentum, [param, buffer]. */
export const SGD_UPDATE = 'LtlabSgdUpdate';
/** A running average: out = running · keep + (value · scale) · take. */
export const MOVING_AVERAGE = 'LtlabMovingAverage';

export interface SgdUpdateAttrs {
  lr: number;
  momentum: number;
  weightDecay: number;
  nesterov: boolean;
}

export interface MovingAverageAttrs {
  keep: number;
  take: number;
  scale: number;
}

export const sgdUpdateConfig: KernelConfig = nativeKernel(SGD_UPDATE, ({ inputs, attrs, backend }) => {
  const { param, grad, buffer } = inputs as { param: TensorInfo; grad: TensorInfo; buffer?: TensorInfo };
  if (!allFloat32(param, grad, buffer)) throw new Error(`${SGD_UPDATE}: float32 inputs only`);
  const { lr, momentum, weightDecay, nesterov } = attrs as unknown as SgdUpdateAttrs;
  const paramOut = backend.output([...param.shape]);
  const bufferOut = momentum > 0 ? backend.output([...param.shape]) : undefined;
  backend.addon.sgdUpdate(
    backend.f32(param),
    backend.f32(grad),
    buffer === undefined ? null : backend.f32(buffer),
    paramOut.values,
    bufferOut?.values ?? null,
    lr,
    momentum,
    weightDecay,
    nesterov,
  );
  return bufferOut === undefined ? [paramOut.info] : [paramOut.info, bufferOut.info];
});

export const movingAverageConfig: KernelConfig = nativeKernel(MOVING_AVERAGE, ({ inputs, attrs, backend }) => {
  const { running, value } = inputs as { running: TensorInfo; value: TensorInfo };
  if (!allFloat32(running, value)) throw new Error(`${MOVING_AVERAGE}: float32 inputs only`);
  const { keep, take, scale } = attrs as unknown as MovingAverageAttrs;
  const out = backend.output([...running.shape]);
  backend.addon.movingAverage(backend.f32(running), backend.f32(value), out.values, keep, take, scale);
  return out.info;
});
