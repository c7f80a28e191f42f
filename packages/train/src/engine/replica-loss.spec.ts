import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClassificationRunConfigInput } from '@ltlab/config';
import { type LtlabError, parseOrThrow } from '@ltlab/core';
import { getLoss, type LossInputs } from '@ltlab/losses';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyClassificationConfig, tinyModel, tinyStep } from '../__fixtures__/tiny-model.js';
import { replicaMeanLoss, splitLossInputs } from './replica-loss.js';
import type { TrainingModel } from './training-model.js';

const ADDON_FILE = fileURLToPath(new URL('../../../runtime/native/build/ltlab_native.node', import.meta.url));
// native only where its addon is built (CI builds it), as the backbones' native-training.spec.ts.
const BACKENDS = ['cpu', 'wasm', ...(existsSync(ADDON_FILE) || process.env.CI ? ['native'] : [])];

type Method = ClassificationRunConfigInput['method'];
const paco: Method = { loss: 'paco', projection: { dim: 6 }, momentumEncoder: { queueSize: 8 } };
const reslt: Method = { loss: 'reslt', options: { mediumTailRange: [3, 10], tailRange: [7, 10] } };
const supcon: Method = { loss: 'supcon', projection: { dim: 6 } };
const ce: Method = { loss: 'cross-entropy' };
const BATCH = 4;

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
  await initRuntime({ backend: 'wasm' });
  if (BACKENDS.includes('native')) await initRuntime({ backend: 'native', nativeThreads: 1 });
});

const read = async (t: tf.Tensor) => Array.from(await t.data());

describe('splitLossInputs', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives each replica its own queries and keys and the whole queue, its rows of per-sample inputs, shared counts', async () => {
    // B = 4, K = 2: rows [q0..q3; k0..k3; Q0, Q1], the row's index as its value.
    const features = tf.tensor2d(Array.from({ length: 10 }, (_, i) => [i, -i]));
    const labels = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3, 7, 8], 'int32');
    const logits = tf.tensor2d(Array.from({ length: 4 }, (_, i) => [i, i, i]));
    const classCounts = tf.tensor1d([5, 3, 1, 1], 'int32');
    const [first, second] = splitLossInputs({ features, labels, logits, classCounts }, getLoss('paco').requires, {
      replicas: 2,
      batch: BATCH,
    }) as [LossInputs, LossInputs];
    expect((await read(first.features as tf.Tensor)).filter((_, i) => i % 2 === 0)).toEqual([0, 1, 4, 5, 8, 9]);
    expect((await read(second.features as tf.Tensor)).filter((_, i) => i % 2 === 0)).toEqual([2, 3, 6, 7, 8, 9]);
    expect(await read(first.labels as tf.Tensor)).toEqual([0, 1, 0, 1, 7, 8]);
    expect(await read(second.labels as tf.Tensor)).toEqual([2, 3, 2, 3, 7, 8]);
    expect(await read(second.logits as tf.Tensor)).toEqual([2, 2, 2, 3, 3, 3]);
    expect(first.classCounts).toBe(classCounts);
    expect(second.classCounts).toBe(classCounts);
    tf.dispose([features, labels, logits, classCounts]);
    for (const chunk of [first, second]) tf.dispose([chunk.features, chunk.labels, chunk.logits] as tf.Tensor[]);
  });

  it('splits the views layout [B, V, d] by sample', async () => {
    const features = tf.tensor3d(Array.from({ length: 4 }, (_, i) => [[i], [10 + i]]));
    const parts = splitLossInputs({ features }, getLoss('supcon').requires, { replicas: 4, batch: BATCH });
    expect(await Promise.all(parts.map((p) => read(p.features as tf.Tensor)))).toEqual([
      [0, 10],
      [1, 11],
      [2, 12],
      [3, 13],
    ]);
    tf.dispose([features, ...parts.map((p) => p.features as tf.Tensor)]);
  });

  it('refuses what it cannot split: a count that does not divide the batch, unknown inputs, wrong row counts', () => {
    const logits = tf.zeros([4, 3]);
    const requires = getLoss('cross-entropy').requires;
    expect(() => splitLossInputs({ logits }, requires, { replicas: 3, batch: BATCH })).toThrow(
      /replicas\.count 3 does not divide the batch of 4/,
    );
    let error: unknown;
    try {
      splitLossInputs({ logits, gainWeight: tf.zeros([2, 2]) }, requires, { replicas: 2, batch: BATCH });
    } catch (caught) {
      error = caught;
    }
    expect((error as LtlabError).code).toBe('CONFIG.UNSUPPORTED');
    expect((error as LtlabError).message).toMatch(/cannot split the loss input 'gainWeight'/);
    expect(() => splitLossInputs({ logits }, requires, { replicas: 2, batch: 8 })).toThrow(/has 4 rows, 8 expected/);
    logits.dispose();
  });
});

interface StepOutcome {
  loss: number;
  grads: Map<string, number[]>;
  buffers: Map<string, number[]>;
  queue: number[];
}

/** One step of `model` on `step`: loss, gradients by parameter name, then (after finish) the weights. */
async function runStep(
  model: TrainingModel,
  method: Method,
  step: ReturnType<typeof tinyStep>,
  replicas: number | undefined,
): Promise<StepOutcome> {
  const config = tinyClassificationConfig({ method });
  const loss = getLoss(config.method.loss);
  const options = parseOrThrow(loss.schema, config.method.options, 'options');
  const named = model.trainableParameters(false);
  const prepared = model.prepareStep(replicas === undefined ? step : { ...step, replicas });
  const { value, grads } = tf.variableGrads(
    () =>
      replicas === undefined
        ? loss.compute(prepared.lossInputs(), options)
        : replicaMeanLoss(loss, prepared.lossInputs(), options, { replicas, batch: BATCH }),
    named.map(([, v]) => v),
  );
  prepared.finish();
  const weights = await model.exportWeights();
  const outcome: StepOutcome = {
    loss: (await read(value))[0] as number,
    // Parameters the loss does not reach (the classifier under SupCon) have no gradient.
    grads: new Map(
      await Promise.all(
        named
          .filter(([, v]) => grads[v.name] !== undefined)
          .map(async ([n, v]) => [n, await read(grads[v.name] as tf.Tensor)] as const),
      ),
    ),
    buffers: new Map(
      model.backbone.namedBuffers().map(([n]) => [n, Array.from(weights[`backbone/${n}`]?.values ?? [])] as const),
    ),
    queue: Array.from(weights['queue/features']?.values ?? []),
  };
  tf.dispose([value, ...Object.values(grads)]);
  return outcome;
}

/** The tiny step's rows of chunk r of `replicas`, as replica r sees its batch. */
function chunkOf(step: ReturnType<typeof tinyStep>, r: number, replicas: number): ReturnType<typeof tinyStep> {
  const size = BATCH / replicas;
  return {
    ...step,
    batch: {
      views: step.batch.views.map((view) => tf.slice(view, r * size, size)),
      labels: tf.slice(step.batch.labels, r * size, size),
    },
  };
}

/**
 * Relative to the largest of `expected`, or to `floor` when that is larger: a bias followed by
 * batch norm has a gradient of zero up to rounding, so its own scale would make noise look like
 * an error; its gradient is compared at the scale of the step's largest gradient.
 */
function expectNear(actual: number[], expected: number[], what: string, floor = 1e-6): void {
  expect(actual.length, what).toBe(expected.length);
  const scale = Math.max(floor, ...expected.map(Math.abs));
  const worst = Math.max(0, ...actual.map((v, i) => Math.abs(v - (expected[i] as number))));
  expect(worst / scale, what).toBeLessThan(2e-4);
}

describe.each(BACKENDS)('a step over replicas on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  const cases: [string, Method, number][] = [
    ['paco', paco, 2],
    ['reslt', reslt, 2],
    ['supcon', supcon, 2],
    ['cross-entropy', ce, 2],
  ];
  for (const [label, method, views] of cases) {
    it(`${label}: 2 replicas is the mean of each replica's loss and gradients computed on its own chunk`, async () => {
      const replicas = 2;
      const step = tinyStep(method, { views });
      const model = tinyModel(method, { replicas: { count: replicas } });
      const got = await runStep(model, method, step, replicas);
      // By hand: each replica a separate model (same seed, so equal at the start as DDP's), on
      // its own chunk, as one device with whole-batch BN and the plain loss.
      const byReplica: StepOutcome[] = [];
      for (let r = 0; r < replicas; r++) {
        const copy = tinyModel(method);
        const chunk = chunkOf(step, r, replicas);
        byReplica.push(await runStep(copy, method, chunk, undefined));
        tf.dispose([...chunk.batch.views, chunk.batch.labels]);
        copy.dispose();
      }
      const mean = (values: number[][]) =>
        (values[0] as number[]).map((_, i) => values.reduce((s, v) => s + (v[i] as number), 0) / values.length);
      expectNear([got.loss], [mean(byReplica.map((o) => [o.loss]))[0] as number], 'loss');
      expect(got.grads.size).toBeGreaterThan(0);
      expect([...got.grads.keys()]).toEqual([...(byReplica[0] as StepOutcome).grads.keys()]);
      const expectedGrads = new Map(
        [...got.grads.keys()].map((name) => [name, mean(byReplica.map((o) => o.grads.get(name) as number[]))]),
      );
      const largestGradient = Math.max(...[...expectedGrads.values()].flat().map(Math.abs));
      for (const [name, grad] of got.grads) {
        expectNear(grad, expectedGrads.get(name) as number[], `gradient of ${name}`, largestGradient);
      }
      // Running statistics: rank 0's, the replica that saw chunk 0.
      for (const [name, buffer] of got.buffers) {
        expectNear(buffer, (byReplica[0] as StepOutcome).buffers.get(name) as number[], name);
      }
      if (label === 'paco') {
        // Every replica's keys join the queue, in replica order (the original gathers them).
        const d = 6;
        const keysOf = (o: StepOutcome) => o.queue.slice(0, (BATCH / replicas) * d);
        expectNear(got.queue.slice(0, BATCH * d), byReplica.flatMap(keysOf), 'enqueued keys');
      }
      tf.dispose([...step.batch.views, step.batch.labels]);
      model.dispose();
    });
  }

  it('one replica is the step without the option, bit for bit', async () => {
    for (const method of [paco, reslt]) {
      const step = tinyStep(method, { views: 2 });
      const [a, b] = [tinyModel(method, { replicas: { count: 1 } }), tinyModel(method)];
      const withOption = await runStep(a, method, step, 1);
      const without = await runStep(b, method, step, undefined);
      a.dispose();
      b.dispose();
      expect(withOption.loss).toBe(without.loss);
      expect([...withOption.grads]).toEqual([...without.grads]);
      expect([...withOption.buffers]).toEqual([...without.buffers]);
      expect(withOption.queue).toEqual(without.queue);
      tf.dispose([...step.batch.views, step.batch.labels]);
    }
  });
});
