import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LtlabError, Rng } from '@ltlab/core';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BatchNorm, createBatchNorm } from './batch-norm.js';
import { batchNormReplicas, withBatchNormReplicas } from './batch-norm-replicas.js';
import { ParamSet } from './param-set.js';

const ADDON_FILE = fileURLToPath(new URL('../../runtime/native/build/ltlab_native.node', import.meta.url));
// native only where its addon is built (CI builds it), as native-training.spec.ts.
const BACKENDS = ['cpu', 'wasm', ...(existsSync(ADDON_FILE) || process.env.CI ? ['native'] : [])];

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
  await initRuntime({ backend: 'wasm' });
  if (BACKENDS.includes('native')) await initRuntime({ backend: 'native', nativeThreads: 1 });
});

/** A BN with non-trivial gamma, beta and running statistics, the same for every `seed`. */
function makeBn(channels: number, seed: number): { params: ParamSet; bn: BatchNorm } {
  const params = new ParamSet();
  const bn = createBatchNorm(params, 'bn', channels);
  params.materialize({ seed: 0 }, true);
  const rng = new Rng(seed);
  const draw = (lo: number, hi: number) => tf.tensor1d(Array.from({ length: channels }, () => rng.uniform(lo, hi)));
  tf.tidy(() => {
    bn.weight.value.assign(draw(0.5, 2));
    bn.bias.value.assign(draw(-1, 1));
    bn.runningMean.value.assign(draw(-0.5, 0.5));
    bn.runningVar.value.assign(draw(0.5, 1.5));
  });
  return { params, bn };
}

function randomTensor(shape: number[], seed: number, scale = 1, shift = 0): tf.Tensor {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => shift + scale * rng.uniform(-1, 1)),
    shape,
  );
}

interface Pass {
  y: Float32Array;
  dx: Float32Array;
  dGamma: Float32Array;
  dBeta: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
}

/** One train-mode forward of `apply` with the gradient of sum(w * y) for x, gamma and beta. */
async function pass(bn: BatchNorm, x: tf.Tensor, w: tf.Tensor, apply: (x: tf.Tensor) => tf.Tensor): Promise<Pass> {
  const gamma = bn.weight.value;
  const beta = bn.bias.value;
  const y = tf.tidy(() => apply(x));
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(apply(x), w)) as tf.Scalar, [gamma, beta]);
  const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(apply(input), w)))(x);
  const read = async (t: tf.Tensor) => Float32Array.from(await t.data());
  const out = {
    y: await read(y),
    dx: await read(dx),
    dGamma: await read(grads[gamma.name] as tf.Tensor),
    dBeta: await read(grads[beta.name] as tf.Tensor),
    runningMean: await read(bn.runningMean.value),
    runningVar: await read(bn.runningVar.value),
  };
  tf.dispose([y, value, dx, ...Object.values(grads)]);
  return out;
}

function expectClose(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(
      worst,
      Math.abs((actual[i] as number) - (expected[i] as number)) / (1 + Math.abs(expected[i] as number)),
    );
  }
  expect(worst, what).toBeLessThan(1e-5);
}

const CASES: { label: string; shape: number[] }[] = [
  { label: 'NHWC maps', shape: [6, 3, 2, 4] },
  { label: '[B, C] features', shape: [8, 5] },
];

describe.each(BACKENDS)('batch norm over replicas on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  for (const replicas of [2, 3]) {
    for (const { label, shape } of CASES) {
      const rows = shape[0] as number;
      if (rows % replicas !== 0) continue;
      it(`${label}, ${replicas} replicas: values and gradients are those of BN run on each chunk separately`, async () => {
        const channels = shape.at(-1) as number;
        const x = randomTensor(shape, 1, 2, 0.5);
        const w = randomTensor(shape, 2);
        const chunked = makeBn(channels, 3);
        const got = await pass(chunked.bn, x, w, (input) =>
          withBatchNormReplicas(replicas, () => chunked.bn.apply(input as tf.Tensor4D, true)),
        );

        // By hand: each chunk through its own copy of the BN (equal at the start, as DDP replicas),
        // outputs and dx concatenated, the gamma and beta gradients summed over chunks.
        const xs = tf.split(x, replicas, 0);
        const ws = tf.split(w, replicas, 0);
        const parts: Pass[] = [];
        const copies = xs.map(() => makeBn(channels, 3));
        for (let r = 0; r < replicas; r++) {
          const { bn } = copies[r] as { bn: BatchNorm };
          parts.push(
            await pass(bn, xs[r] as tf.Tensor, ws[r] as tf.Tensor, (input) => bn.apply(input as tf.Tensor4D, true)),
          );
        }
        const cat = (key: 'y' | 'dx') => Float32Array.from(parts.flatMap((p) => Array.from(p[key])));
        const sum = (key: 'dGamma' | 'dBeta') =>
          parts.reduce((acc, p) => acc.map((v, i) => v + (p[key][i] as number)), new Float32Array(channels));
        expectClose(got.y, cat('y'), 'y');
        expectClose(got.dx, cat('dx'), 'dx');
        expectClose(got.dGamma, sum('dGamma'), 'dGamma');
        expectClose(got.dBeta, sum('dBeta'), 'dBeta');
        // Running statistics: rank 0's, i.e. those of the replica that saw chunk 0 (three forwards each).
        const first = parts[0] as Pass;
        expectClose(got.runningMean, first.runningMean, 'running mean');
        expectClose(got.runningVar, first.runningVar, 'running var');
        // The statistics really are per chunk: the whole-batch BN gives other values.
        const whole = makeBn(channels, 3);
        const plain = await pass(whole.bn, x, w, (input) => whole.bn.apply(input as tf.Tensor4D, true));
        expect(Math.max(...plain.y.map((v, i) => Math.abs(v - (got.y[i] as number))))).toBeGreaterThan(1e-3);

        tf.dispose([x, w, ...xs, ...ws]);
        for (const bn of [chunked, whole, ...copies]) bn.params.dispose();
      });
    }
  }

  it('one replica is the batch norm without the scope, bit for bit (values, gradients, running statistics)', async () => {
    const x = randomTensor([4, 3, 3, 2], 5, 1.5);
    const w = randomTensor([4, 3, 3, 2], 6);
    const scoped = makeBn(2, 7);
    const plain = makeBn(2, 7);
    const a = await pass(scoped.bn, x, w, (input) =>
      withBatchNormReplicas(1, () => scoped.bn.apply(input as tf.Tensor4D, true)),
    );
    const b = await pass(plain.bn, x, w, (input) => plain.bn.apply(input as tf.Tensor4D, true));
    for (const key of ['y', 'dx', 'dGamma', 'dBeta', 'runningMean', 'runningVar'] as const) {
      expect(Array.from(a[key]), key).toEqual(Array.from(b[key]));
    }
    tf.dispose([x, w]);
    scoped.params.dispose();
    plain.params.dispose();
  });

  it('leaves evaluation mode alone', async () => {
    const x = randomTensor([4, 3], 8);
    const { params, bn } = makeBn(3, 9);
    const inside = withBatchNormReplicas(2, () => bn.apply(x as tf.Tensor2D, false));
    const outside = bn.apply(x as tf.Tensor2D, false);
    expect(Array.from(await inside.data())).toEqual(Array.from(await outside.data()));
    tf.dispose([x, inside, outside]);
    params.dispose();
  });
});

describe('withBatchNormReplicas', () => {
  it('nests, restores the outer count afterwards (also on a throw) and is 1 outside any scope', () => {
    expect(batchNormReplicas()).toBe(1);
    withBatchNormReplicas(4, () => {
      expect(batchNormReplicas()).toBe(4);
      withBatchNormReplicas(2, () => expect(batchNormReplicas()).toBe(2));
      expect(batchNormReplicas()).toBe(4);
    });
    expect(() =>
      withBatchNormReplicas(3, () => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(batchNormReplicas()).toBe(1);
  });

  it('rejects a count that is not a positive integer, an asynchronous forward and a batch it does not divide', async () => {
    await tf.setBackend('cpu');
    expect(() => withBatchNormReplicas(0, () => 0)).toThrow(/positive integer, got 0/);
    expect(() => withBatchNormReplicas(1.5, () => 0)).toThrow(/positive integer, got 1.5/);
    expect(() => withBatchNormReplicas(2, async () => 0)).toThrow(/synchronous forward/);
    const { params, bn } = makeBn(2, 1);
    const x = randomTensor([6, 2], 3);
    let error: unknown;
    try {
      withBatchNormReplicas(4, () => bn.apply(x as tf.Tensor2D, true));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LtlabError);
    expect((error as LtlabError).message).toMatch(/BatchNorm bn splits its batch of 6 over 4 replicas/);
    expect((error as LtlabError).fix).toMatch(/replicas\.count to a divisor of batchSize/);
    // Chunks of one sample have no variance to normalise with.
    expect(() => withBatchNormReplicas(6, () => bn.apply(x as tf.Tensor2D, true))).toThrow(
      /more than one value per channel, got 1/,
    );
    x.dispose();
    params.dispose();
  });
});
