import * as tf from '@tensorflow/tfjs-core';
import { BN_EPSILON } from '../batch-norm.js';
import type { ParamSet } from '../param-set.js';

/**
 * Puts a materialised set into a hand-checkable state: every parameter 0 (so each BN outputs its
 * beta, 0, and each ConvBnRelu outputs 0) and every running variance 1 - eps (so an evaluation BN
 * with gamma 1 is the identity). Tests then switch on single paths with `setEntries`.
 */
export function zeroAll(params: ParamSet): void {
  for (const spec of params.specs) {
    const value = spec.name.endsWith('running_var') ? 1 - BN_EPSILON : 0;
    tf.tidy(() => params.variable(spec.name).assign(tf.fill(spec.shape, value)));
  }
}

/** Sets entries of tensor `name`, given as [index..., value] rows. */
export function setEntries(params: ParamSet, name: string, entries: number[][]): void {
  const variable = params.variable(name);
  const values = tf.buffer(variable.shape, 'float32', variable.dataSync() as Float32Array);
  for (const entry of entries) {
    values.set(entry.at(-1) as number, ...entry.slice(0, -1));
  }
  tf.tidy(() => variable.assign(values.toTensor()));
}

/** A ConvBnRelu `name` that copies input channel `from` to output channel `to` through its centre tap. */
export function passChannel(params: ParamSet, name: string, from: number, to: number, kernelSize: number): void {
  const centre = (kernelSize - 1) / 2;
  setEntries(params, `${name}.conv.weight`, [[centre, centre, from, to, 1]]);
  setEntries(params, `${name}.bn.weight`, [[to, 1]]);
}
