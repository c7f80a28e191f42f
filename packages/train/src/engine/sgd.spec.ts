import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sgd } from './sgd.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

/** torch.optim.SGD by hand for one scalar parameter. */
function reference(p0: number, grads: number[], o: { lr: number; mu: number; wd: number; nesterov: boolean }): number {
  let p = p0;
  let buf: number | undefined;
  for (const grad of grads) {
    const g = grad + o.wd * p;
    buf = buf === undefined ? g : o.mu * buf + g;
    p -= o.lr * (o.nesterov ? g + o.mu * buf : buf);
  }
  return p;
}

describe('Sgd', () => {
  it.each([false, true])('matches torch.optim.SGD (nesterov %s) over several steps', (nesterov) => {
    const w = tf.variable(tf.tensor2d([[1.5, -2]]));
    const sgd = new Sgd({ momentum: 0.9, nesterov, weightDecay: 5e-4, weightDecayOnNormAndBias: true });
    const grads = [0.3, -0.1, 0.25, 0.05];
    for (const g of grads) {
      const grad = tf.fill([1, 2], g);
      sgd.step([['w', w]], { w: grad }, 0.1);
      grad.dispose();
    }
    const [a, b] = w.dataSync();
    expect(a).toBeCloseTo(reference(1.5, grads, { lr: 0.1, mu: 0.9, wd: 5e-4, nesterov }), 6);
    expect(b).toBeCloseTo(reference(-2, grads, { lr: 0.1, mu: 0.9, wd: 5e-4, nesterov }), 6);
    sgd.dispose();
    w.dispose();
  });

  it('exempts 1-D parameters from weight decay when asked, and round-trips its state', async () => {
    const bias = tf.variable(tf.tensor1d([2]));
    const sgd = new Sgd({ momentum: 0.9, nesterov: false, weightDecay: 0.1, weightDecayOnNormAndBias: false });
    const zero = tf.zeros([1]);
    sgd.step([['b', bias]], { b: zero }, 1);
    expect(bias.dataSync()[0]).toBe(2);
    const state = await sgd.exportState();
    const copy = new Sgd({ momentum: 0.9, nesterov: false, weightDecay: 0.1, weightDecayOnNormAndBias: false });
    const before = tf.memory().numTensors;
    copy.loadState(state);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(await copy.exportState()).toEqual(state);
    tf.dispose([bias, zero]);
    sgd.dispose();
    copy.dispose();
  });
});
