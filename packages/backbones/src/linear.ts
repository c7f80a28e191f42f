import * as tf from '@tensorflow/tfjs-core';
import { kaimingNormal, pytorchLinearDefault } from './init-rule.js';
import type { ParamDeclarer, ParamRef } from './param-set.js';

/**
 * Weight init of a dense layer: `pytorchDefault` is `nn.Linear`'s own (uniform, bound
 * 1/sqrt(fan_in)); `kaimingNormalFanIn` is what the CIFAR ResNet applies to its linear layers.
 * The bias always keeps `nn.Linear`'s default uniform init.
 */
export type LinearInit = 'pytorchDefault' | 'kaimingNormalFanIn';

export interface Linear {
  readonly weight: ParamRef;
  /** `null` for a classifier without bias (the cosine classifier). */
  readonly bias: ParamRef | null;
  readonly inFeatures: number;
  readonly outFeatures: number;
  apply(x: tf.Tensor2D): tf.Tensor2D;
}

/** `y = x W + b` with `W` of shape `[in, out]` (PyTorch stores its transpose). */
export function createLinear(
  params: ParamDeclarer,
  name: string,
  inFeatures: number,
  outFeatures: number,
  init: LinearInit,
): Linear {
  const weight = params.declare({
    name: `${name}.weight`,
    shape: [inFeatures, outFeatures],
    role: 'parameter',
    init: init === 'pytorchDefault' ? pytorchLinearDefault(inFeatures) : kaimingNormal(inFeatures),
  });
  const bias = params.declare({
    name: `${name}.bias`,
    shape: [outFeatures],
    role: 'parameter',
    init: pytorchLinearDefault(inFeatures),
  });
  return {
    weight,
    bias,
    inFeatures,
    outFeatures,
    apply: (x) => tf.tidy(() => tf.add(tf.matMul(x, weight.value as tf.Tensor2D), bias.value)),
  };
}
