import { LtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';

export interface SgdOptions {
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
  /** False exempts 1-D parameters (BN scale/shift, biases) from weight decay. */
  weightDecayOnNormAndBias: boolean;
}

/** Momentum buffers by parameter name, as a checkpoint stores them. */
export type SgdState = Record<string, { shape: number[]; values: Float32Array }>;

/**
 * SGD with momentum exactly as `torch.optim.SGD` (dampening 0), which the papers use:
 * g = grad + wd * p; buf = mu * buf + g (buf starts at g); step = nesterov ? g + mu * buf : buf;
 * p -= lr * step. Weight decay is coupled (L2), applied to every parameter unless exempted.
 */
export class Sgd {
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
    tf.tidy(() => {
      for (const [name, param] of params) {
        const grad = grads[name];
        if (grad === undefined) continue;
        const decay = weightDecay > 0 && (weightDecayOnNormAndBias || param.rank > 1) ? weightDecay : 0;
        let g = decay > 0 ? tf.add(grad, tf.mul(param, decay)) : grad;
        if (momentum > 0) {
          let buffer = this.#buffers.get(name);
          if (buffer === undefined) {
            buffer = tf.variable(tf.zerosLike(param), false);
            this.#buffers.set(name, buffer);
          }
          buffer.assign(tf.add(tf.mul(buffer, momentum), g));
          g = nesterov ? tf.add(g, tf.mul(buffer, momentum)) : buffer;
        }
        param.assign(tf.sub(param, tf.mul(g, lr)));
      }
    });
  }

  exportState(): SgdState {
    const out: SgdState = {};
    for (const [name, buffer] of this.#buffers) {
      out[name] = { shape: [...buffer.shape], values: buffer.dataSync() as Float32Array };
    }
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
