import { LtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { NamedParameter, Optimizer, OptimizerState } from './optimizer.js';

export interface AdamWOptions {
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  /** Parameters (by name) of the group without weight decay: normalisation layers, biases. */
  noWeightDecay?: ReadonlySet<string>;
}

interface Moments {
  m: tf.Variable;
  v: tf.Variable;
  /** Steps this parameter has taken: its bias correction (each parameter counts its own, as PyTorch). */
  steps: number;
}

/**
 * AdamW exactly as `torch.optim.AdamW` (amsgrad off), which mmsegmentation's Region Rebalance
 * recipe uses (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019, Alg. 2):
 *   p <- p * (1 - lr * wd)                       (decoupled decay; wd 0 in the no-decay group)
 *   m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  t <- t + 1
 *   p <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * A parameter without a gradient in a step is left alone and its t does not advance.
 */
export class AdamW implements Optimizer {
  readonly stateName = 'adamw';
  readonly #options: AdamWOptions;
  readonly #moments = new Map<string, Moments>();

  constructor(options: AdamWOptions) {
    const [b1, b2] = options.betas;
    if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1) || !(options.eps > 0) || !(options.weightDecay >= 0)) {
      throw new LtlabError('CONFIG.INVALID', 'AdamW needs betas in [0, 1), eps > 0 and weightDecay >= 0.', {
        fix: 'Set optimizer.betas, optimizer.eps and optimizer.weightDecay accordingly.',
      });
    }
    this.#options = options;
  }

  step(params: ReadonlyArray<NamedParameter>, grads: Readonly<Record<string, tf.Tensor>>, lr: number): void {
    const { betas, eps, weightDecay, noWeightDecay } = this.#options;
    const [b1, b2] = betas;
    for (const [name, param] of params) {
      const grad = grads[name];
      if (grad === undefined) continue;
      let moments = this.#moments.get(name);
      if (moments === undefined) {
        // tidy: a variable takes its own reference to the zeros, which are then released.
        moments = {
          m: tf.tidy(() => tf.variable(tf.zerosLike(param), false)),
          v: tf.tidy(() => tf.variable(tf.zerosLike(param), false)),
          steps: 0,
        };
        this.#moments.set(name, moments);
      }
      const t = moments.steps + 1;
      const decay = noWeightDecay?.has(name) === true ? 0 : weightDecay;
      const { m, v } = moments;
      tf.tidy(() => {
        const nextM = tf.add(tf.mul(m, b1), tf.mul(grad, 1 - b1));
        const nextV = tf.add(tf.mul(v, b2), tf.mul(tf.square(grad), 1 - b2));
        const decayed = decay > 0 ? tf.mul(param, 1 - lr * decay) : param;
        const denom = tf.add(tf.div(tf.sqrt(nextV), Math.sqrt(1 - b2 ** t)), eps);
        const update = tf.mul(tf.div(nextM, denom), lr / (1 - b1 ** t));
        m.assign(nextM);
        v.assign(nextV);
        param.assign(tf.sub(decayed, update));
      });
      moments.steps = t;
    }
  }

  /** `m/<name>`, `v/<name>` and `steps/<name>` ([1]) per parameter; read with `data()`. */
  async exportState(): Promise<OptimizerState> {
    const entries = [...this.#moments];
    const values = await Promise.all(entries.flatMap(([, { m, v }]) => [m.data(), v.data()]));
    const out: OptimizerState = {};
    entries.forEach(([name, { m, v, steps }], i) => {
      out[`m/${name}`] = { shape: [...m.shape], values: values[2 * i] as Float32Array };
      out[`v/${name}`] = { shape: [...v.shape], values: values[2 * i + 1] as Float32Array };
      out[`steps/${name}`] = { shape: [1], values: Float32Array.of(steps) };
    });
    return out;
  }

  loadState(state: OptimizerState): void {
    this.dispose();
    const names = Object.keys(state).flatMap((key) => (key.startsWith('m/') ? [key.slice(2)] : []));
    for (const name of names) {
      const m = state[`m/${name}`];
      const v = state[`v/${name}`];
      const steps = state[`steps/${name}`]?.values[0];
      if (m === undefined || v === undefined || steps === undefined || !Number.isInteger(steps) || steps < 1) {
        throw new LtlabError('CHECKPOINT.CORRUPT', `The AdamW state of ${name} is incomplete (m, v and steps).`, {
          fix: 'A resume skips this checkpoint for the previous one.',
          details: { reason: `incomplete AdamW state for ${name}` },
        });
      }
      this.#moments.set(name, {
        m: tf.tidy(() => tf.variable(tf.tensor(m.values, m.shape, 'float32'), false)),
        v: tf.tidy(() => tf.variable(tf.tensor(v.values, v.shape, 'float32'), false)),
        steps,
      });
    }
  }

  dispose(): void {
    for (const { m, v } of this.#moments.values()) {
      m.dispose();
      v.dispose();
    }
    this.#moments.clear();
  }
}
