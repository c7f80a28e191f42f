import { isLtlabError } from '@ltlab/core';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from './adamw.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

const OPTIONS = { betas: [0.9, 0.999] as const, eps: 1e-8, weightDecay: 0.01 };
const GRADS = [
  [0.5, -1],
  [-0.25, 2],
];

function train(steps: number[][], optimizer: AdamW, start = [1, -2]) {
  const decayed = tf.variable(tf.tensor1d(start));
  const exempt = tf.variable(tf.tensor1d(start));
  for (const g of steps) {
    const grad = tf.tensor1d(g);
    optimizer.step(
      [
        ['decayed', decayed],
        ['exempt', exempt],
      ],
      { decayed: grad, exempt: grad },
      0.1,
    );
    grad.dispose();
  }
  return { decayed, exempt };
}

const values = (v: tf.Variable) => Array.from(v.dataSync());

describe('AdamW', () => {
  it('matches torch.optim.AdamW by hand over two steps, with and without weight decay', () => {
    const adamw = new AdamW({ ...OPTIONS, noWeightDecay: new Set(['exempt']) });
    const { decayed, exempt } = train(GRADS, adamw);
    // Step 1 (t = 1): m / (1 - 0.9) = g and sqrt(v / (1 - 0.999)) = |g|, so the step is
    // lr * sign(g); decay first scales p by 1 - 0.1 * 0.01 = 0.999: 0.999 * (1, -2) - 0.1 * (1, -1).
    // Step 2: m = (0.02, 0.11), v = (3.1225e-4, 4.999e-3), bias corrections 0.19 and 1.999e-3:
    // p -= 0.1 / 0.19 * m / (sqrt(v / 1.999e-3) + 1e-8) after p *= 0.999.
    const step2 = (p: number, m: number, v: number, decay: number) =>
      p * (1 - 0.1 * decay) - ((0.1 / 0.19) * m) / (Math.sqrt(v) / Math.sqrt(1.999e-3) + 1e-8);
    const expectClose = (actual: number[], expected: number[]) =>
      actual.forEach((a, i) => {
        expect(a).toBeCloseTo(expected[i] as number, 6);
      });
    expectClose(values(decayed), [step2(0.899, 0.02, 3.1225e-4, 0.01), step2(-1.898, 0.11, 4.999e-3, 0.01)]);
    expectClose(values(exempt), [step2(0.9, 0.02, 3.1225e-4, 0), step2(-1.9, 0.11, 4.999e-3, 0)]);
    // The same numbers, as PyTorch's float64 arithmetic gives them.
    expectClose(values(decayed), [0.8714672987, -1.9327123535]);
    expectClose(values(exempt), [0.8733662987, -1.9366103535]);
    tf.dispose([decayed, exempt]);
    adamw.dispose();
  });

  it('continues from exported state exactly as without the interruption', async () => {
    const straight = new AdamW(OPTIONS);
    const whole = train([...GRADS, [1, 1]], straight);

    const first = new AdamW(OPTIONS);
    const half = train(GRADS, first);
    const state = await first.exportState();
    expect(Object.keys(state).sort()).toEqual([
      'm/decayed',
      'm/exempt',
      'steps/decayed',
      'steps/exempt',
      'v/decayed',
      'v/exempt',
    ]);
    expect(Array.from(state['steps/decayed']?.values ?? [])).toEqual([2]);
    const resumed = new AdamW(OPTIONS);
    resumed.loadState(state);
    const rest = train([[1, 1]], resumed, values(half.decayed));
    expect(values(rest.decayed)).toEqual(values(whole.decayed));
    tf.dispose([whole.decayed, whole.exempt, half.decayed, half.exempt, rest.decayed, rest.exempt]);
    for (const o of [straight, first, resumed]) o.dispose();
  });

  it('skips a parameter without a gradient (its step count stays), leaks nothing and refuses bad state', async () => {
    const before = tf.memory().numTensors;
    const adamw = new AdamW(OPTIONS);
    const p = tf.tidy(() => tf.variable(tf.tensor1d([1, 2])));
    const q = tf.tidy(() => tf.variable(tf.tensor1d([3])));
    const grad = tf.tensor1d([0.5, 0.5]);
    adamw.step(
      [
        ['p', p],
        ['q', q],
      ],
      { p: grad },
      0.1,
    );
    expect(values(q)).toEqual([3]);
    const state = await adamw.exportState();
    expect(Object.keys(state)).not.toContain('steps/q');
    expect(() => adamw.loadState({ 'm/p': state['m/p'] as (typeof state)[string] })).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT.CORRUPT' }),
    );
    adamw.dispose();
    tf.dispose([p, q, grad]);
    expect(tf.memory().numTensors).toBe(before);
    let error: unknown;
    try {
      new AdamW({ ...OPTIONS, betas: [1, 0.999] });
    } catch (caught) {
      error = caught;
    }
    expect(isLtlabError(error) && error.code).toBe('CONFIG.INVALID');
  });
});
