import { LtlabError } from '@ltlab/core';
import { sgdUpdate } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer, OptimizerState } from './optimizer.js';

export interface SgdOptions {
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
  /** False exempts 1-D parameters (BN scale/shift, biases) from weight decay. */
  weightDecayOnNormAndBias: boolean;
}

/** Momentum buffers by parameter name, as a checkpoint stores them. */
export type SgdState = OptimizerState;

/**
 * SGD with momentum exactly as `torch.optim.SGD` (dampening 0), which the papers use:
 * g = grad + wd * p; buf = mu * buf + g (buf starts at g); step = nesterov ? g + mu * buf : buf;
 * p -= lr * step. Weight decay is coupled (L2), applied to every parameter unless exempted.
 */
export class Sgd implements Optimizer {
  readonly stateName = 'sgd';
  readonly #options: SgdOptions;
  readonly #buffers = new Map<string, tf.Variable>();

  constructor(options: SgdOptions) {
    if (options.nesterov && options.momentum <= 0) {
      throw new LtlabError('CONFIG.INVALID', 'Nesterov momentum requires momentum > 0.', {
        fix: 'Set optimizer.momentum, e.g. 0.9.',
      });
    }
    this.#options = options;
  }

  /** One step over named parameters and their gradients (gradients are not disposed here). */
  step(
    params: ReadonlyArray<readonly [string, tf.Variable]>,
    grads: Readonly<Record<string, tf.Tensor>>,
    lr: number,
  ): void {
    const { momentum, nesterov, weightDecay, weightDecayOnNormAndBias } = this.#options;
    for (const [name, param] of params) {
      const grad = grads[name];
      if (grad === undefined) continue;
      const decay = weightDecay > 0 && (weightDecayOnNormAndBias || param.rank > 1) ? weightDecay : 0;
      const buffer = this.#buffers.get(name);
      // One fused kernel per parameter on native (runtime's sgdUpdate), the composed ops elsewhere.
      const next = sgdUpdate({ param, grad, buffer, lr, momentum, weightDecay: decay, nesterov });
      param.assign(next.param);
      next.param.dispose();
      if (next.buffer !== undefined) {
        // A new variable takes a reference to the tensor's data, as assign does.
        if (buffer === undefined) this.#buffers.set(name, tf.variable(next.buffer, false));
        else buffer.assign(next.buffer);
        next.buffer.dispose();
      }
    }
  }

  /** Read with `data()`: a GPU backend (webgpu in Node) cannot read synchronously. */
  async exportState(): Promise<SgdState> {
    const buffers = [...this.#buffers];
    // Every read starts before the first is awaited, so a GPU backend overlaps the downloads.
    const values = await Promise.all(buffers.map(([, buffer]) => buffer.data()));
    const out: SgdState = {};
    buffers.forEach(([name, buffer], i) => {
      out[name] = { shape: [...buffer.shape], values: values[i] as Float32Array };
    });
    return out;
  }

  loadState(state: SgdState): void {
    this.dispose();
    for (const [name, entry] of Object.entries(state)) {
      this.#buffers.set(
        name,
        tf.tidy(() => tf.variable(tf.tensor(entry.values, entry.shape, 'float32'), false)),
      );
    }
  }

  dispose(): void {
    for (const buffer of this.#buffers.values()) buffer.dispose();
    this.#buffers.clear();
  }
}
