import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { batchNormTrain } from '../batch-norm-train.js';
import { initRuntime, type RuntimeInfo } from '../init-runtime.js';
import { movingAverage } from '../moving-average.js';
import { sgdUpdate } from '../sgd-update.js';
import { lossAndGradients, relativeError, seededNormal } from '../testing/compare-backends.js';
import {
  createCifarResNet,
  createResNeXtBlockNet,
  type ReferenceModel,
  softmaxCrossEntropy,
} from '../testing/reference-models.js';
import type { NativeAddon } from './native-addon.js';
import { NATIVE_BACKEND, type NativeBackend } from './native-backend.js';
import { nativeThreadsFromEnv } from './native-threads.js';

/**
 * Every kernel of the native (oneDNN) backend against tfjs-backend-cpu on seeded inputs, to a
 * relative error (max |native - cpu| / max |cpu|) below 1e-4. Each case also checks that the addon
 * function it targets really ran, so a silent fallback to the cpu kernel cannot pass for native.
 */
const ADDON_FILE = fileURLToPath(new URL('../../native/build/ltlab_native.node', import.meta.url));
// Skipped only on a dev machine without oneDNN; CI must build the addon and run this suite.
const SKIP = !existsSync(ADDON_FILE) && !process.env.CI;

type AddonFunction = Exclude<keyof NativeAddon, 'info' | 'setThreads' | 'clearCaches'>;
const ADDON_FUNCTIONS: readonly AddonFunction[] = [
  'conv2d',
  'matMul',
  'batchNorm',
  'pool2d',
  'binary',
  'unary',
  'reluGrad',
  'addN',
  'reduce',
  'copyBox',
  'sgdUpdate',
  'movingAverage',
];

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

/** Kernel attrs as the engine takes them (explicit paddings are nested arrays). */
function asAttrs(attrs: object): tf.NamedAttrMap {
  return attrs as tf.NamedAttrMap;
}

const spies = new Map<AddonFunction, MockInstance>();

function nativeBackend(): NativeBackend {
  return tf.findBackend(NATIVE_BACKEND) as NativeBackend;
}

/** Addon functions called so far (since the last reset). */
function addonCalls(): Set<AddonFunction> {
  return new Set(ADDON_FUNCTIONS.filter((name) => (spies.get(name)?.mock.calls.length ?? 0) > 0));
}

function resetAddonCalls(): void {
  for (const spy of spies.values()) spy.mockClear();
}

/** Runs `fn` on cpu then on native; returns both outputs' values and the addon functions native called. */
async function onCpuAndNative(
  fn: (backend: string) => tf.Tensor | tf.Tensor[],
): Promise<{ cpu: Float32Array[]; native: Float32Array[]; dtypes: string[]; calls: Set<AddonFunction> }> {
  const run = async (backend: string): Promise<{ values: Float32Array[]; dtypes: string[] }> => {
    await tf.setBackend(backend);
    const out = tf.tidy(() => fn(backend));
    const list = Array.isArray(out) ? out : [out];
    const values = list.map((t) => Float32Array.from(t.dataSync()));
    const dtypes = list.map((t) => t.dtype);
    tf.dispose(list);
    return { values, dtypes };
  };
  const cpu = await run('cpu');
  resetAddonCalls();
  const native = await run(NATIVE_BACKEND);
  const calls = addonCalls();
  expect(native.dtypes).toEqual(cpu.dtypes);
  return { cpu: cpu.values, native: native.values, dtypes: cpu.dtypes, calls };
}

/** Native matches cpu within 1e-4 relative error, and called each of `uses` at least once. */
async function expectNativeMatchesCpu(
  fn: (backend: string) => tf.Tensor | tf.Tensor[],
  uses: AddonFunction[],
): Promise<void> {
  const { cpu, native, calls } = await onCpuAndNative(fn);
  expect(native.length).toBe(cpu.length);
  cpu.forEach((expected, i) => {
    const actual = native[i] as Float32Array;
    expect(actual.length, `output ${i} length`).toBe(expected.length);
    expect(actual.every(Number.isFinite), `output ${i} finite`).toBe(expected.every(Number.isFinite));
    expect(relativeError(actual, expected), `output ${i}`).toBeLessThan(1e-4);
  });
  for (const name of uses) expect(calls, `addon.${name} ran`).toContain(name);
}

const convCases: Array<{
  x: [number, number, number, number];
  f: [number, number, number, number];
  s: number | [number, number];
  pad: Pad;
}> = [
  { x: [2, 8, 8, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
  { x: [2, 9, 7, 3], f: [3, 3, 3, 5], s: 2, pad: 'same' },
  { x: [1, 11, 10, 2], f: [3, 2, 2, 3], s: 3, pad: 'valid' },
  { x: [2, 9, 9, 2], f: [3, 3, 2, 3], s: 1, pad: 'valid' },
  { x: [1, 10, 10, 4], f: [3, 3, 4, 3], s: 3, pad: 'same' },
  { x: [2, 5, 6, 4], f: [1, 1, 4, 6], s: 1, pad: 'valid' },
  { x: [2, 9, 8, 4], f: [1, 1, 4, 6], s: 2, pad: 'same' },
  { x: [1, 15, 15, 3], f: [7, 7, 3, 4], s: 2, pad: 'same' },
  { x: [2, 12, 11, 3], f: [4, 4, 3, 4], s: 2, pad: 'same' },
  { x: [2, 9, 8, 3], f: [3, 3, 3, 4], s: [2, 1], pad: 'same' },
  // Channel counts that make oneDNN pick its blocked (JIT) implementations.
  { x: [2, 8, 8, 16], f: [3, 3, 16, 32], s: 2, pad: 'same' },
  { x: [1, 7, 7, 64], f: [3, 3, 64, 64], s: 1, pad: 'same' },
  {
    x: [1, 7, 6, 2],
    f: [3, 3, 2, 2],
    s: 2,
    pad: [
      [0, 0],
      [2, 0],
      [1, 3],
      [0, 0],
    ],
  },
  {
    x: [1, 13, 14, 2],
    f: [5, 5, 2, 3],
    s: 3,
    pad: [
      [0, 0],
      [1, 4],
      [3, 0],
      [0, 0],
    ],
  },
];

describe.skipIf(SKIP)('native backend kernels match the cpu backend (relative error < 1e-4)', () => {
  let info: RuntimeInfo;

  beforeAll(async () => {
    await initRuntime({ backend: 'cpu' });
    info = await initRuntime({ backend: 'native', nativeThreads: 1 });
    const addon = nativeBackend().addon;
    for (const name of ADDON_FUNCTIONS) spies.set(name, vi.spyOn(addon, name));
  });

  afterAll(() => {
    for (const spy of spies.values()) spy.mockRestore();
    spies.clear();
  });

  it('initRuntime reports native with the oneDNN version and instruction set, 1 thread and the kernels it runs', () => {
    expect(info.backend).toBe('native');
    expect(info.native?.onednn).toMatch(/^\d+\.\d+\.\d+/);
    // The kernels' instruction set decides their float rounding: a run records it.
    expect(info.native?.cpuIsa).toMatch(/^(avx|sse)/);
    expect(info.native?.threads).toBe(1);
    expect(info.native?.kernels).toEqual(
      expect.arrayContaining(['Conv2D', 'FusedConv2D', 'BatchMatMul', 'LtlabBatchNormTrain', 'MaxPoolGrad', 'PadV2']),
    );
    expect(info.device).toMatch(/oneDNN \d+\.\d+\.\d+ (avx|sse)\w*, 1 thread per process/);
  });

  it('an invalid LTLAB_NATIVE_THREADS is a CONFIG error naming the variable, not a fallback', async () => {
    expect(nativeThreadsFromEnv({})).toBeUndefined();
    expect(nativeThreadsFromEnv({ LTLAB_NATIVE_THREADS: '' })).toBeUndefined();
    expect(nativeThreadsFromEnv({ LTLAB_NATIVE_THREADS: '3' })).toBe(3);
    const saved = process.env.LTLAB_NATIVE_THREADS;
    try {
      for (const value of ['0', 'abc', '-2', '1.5', '257']) {
        process.env.LTLAB_NATIVE_THREADS = value;
        await expect(initRuntime({ backend: 'native' }), value).rejects.toMatchObject({
          code: expect.stringMatching(/^CONFIG\./),
          message: expect.stringMatching(/LTLAB_NATIVE_THREADS/),
          fix: expect.stringMatching(/LTLAB_NATIVE_THREADS/),
        });
        // auto does not fall back past a bad request either.
        await expect(initRuntime({ backend: 'auto' }), value).rejects.toMatchObject({
          code: expect.stringMatching(/^CONFIG\./),
        });
      }
      expect(tf.getBackend()).toBe(NATIVE_BACKEND);
    } finally {
      if (saved === undefined) delete process.env.LTLAB_NATIVE_THREADS;
      else process.env.LTLAB_NATIVE_THREADS = saved;
    }
    const again = await initRuntime({ backend: 'native', nativeThreads: 1 });
    expect(again.native?.threads).toBe(1);
  });

  it('2 threads, inputs above the threading threshold: reductions, element-wise ops, convolutions and batch norm', async () => {
    // The other cases run on 1 thread; here the addon's split loops run (blocks per thread, and
    // the column split of a reduction with fewer blocks than threads).
    await initRuntime({ backend: 'native', nativeThreads: 2 });
    try {
      await expectNativeMatchesCpu(() => {
        const x = seededNormal([4, 40, 40, 24], 150);
        const single = seededNormal([1, 300, 200], 151);
        const bias = seededNormal([24], 152);
        const filter = seededNormal([3, 3, 24, 16], 153);
        const { y, mean, variance } = batchNormTrain(x, tf.add(bias, 2) as tf.Tensor1D, bias as tf.Tensor1D);
        return [
          tf.mean(x, [1, 2]),
          tf.sum(x, [0, 1, 2]),
          tf.max(x, [1, 2]),
          tf.mean(single, 1),
          tf.sum(single, 2),
          tf.add(x, bias),
          tf.mul(x, x),
          tf.relu(x),
          tf.addN([x, x, x]),
          tf.slice(x, [1, 2, 3, 4], [2, 30, 30, 16]),
          tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same'),
          y,
          mean,
          variance,
        ];
      }, ['reduce', 'binary', 'unary', 'addN', 'copyBox', 'conv2d', 'batchNorm']);
    } finally {
      await initRuntime({ backend: 'native', nativeThreads: 1 });
    }
  });

  describe('convolutions', () => {
    for (const c of convCases) {
      const label = `x ${c.x.join('x')}, filter ${c.f.join('x')}, stride ${c.s}, pad ${JSON.stringify(c.pad)}`;
      it(`Conv2D, FusedConv2D (bias, relu/linear), Conv2DBackpropInput and Conv2DBackpropFilter: ${label}`, async () => {
        await expectNativeMatchesCpu(() => {
          const x = seededNormal(c.x, 1) as tf.Tensor4D;
          const f = seededNormal(c.f, 2) as tf.Tensor4D;
          const bias = seededNormal([c.f[3]], 4) as tf.Tensor1D;
          const y = tf.conv2d(x, f, c.s, c.pad);
          const dy = seededNormal(y.shape, 3);
          const attrs = { strides: typeof c.s === 'number' ? [c.s, c.s] : c.s, pad: c.pad, dataFormat: 'NHWC' };
          const engine = tf.engine();
          const dw = engine.runKernel('Conv2DBackpropFilter', { x, dy }, asAttrs({ ...attrs, filterShape: c.f }));
          const dx = engine.runKernel('Conv2DBackpropInput', { dy, filter: f }, asAttrs({ ...attrs, inputShape: c.x }));
          return [
            y,
            tf.fused.conv2d({ x, filter: f, strides: c.s, pad: c.pad, bias, activation: 'relu' }),
            tf.fused.conv2d({ x, filter: f, strides: c.s, pad: c.pad, bias }),
            tf.fused.conv2d({ x, filter: f, strides: c.s, pad: c.pad, activation: 'relu' }),
            dw as tf.Tensor,
            dx as tf.Tensor,
          ];
        }, ['conv2d']);
      });
    }

    it('Conv2DBackpropFilter of an input layer: constant-background images, dy centred over the batch', async () => {
      // As ResNet-8's conv1 on Fashion-MNIST: one value on most pixels (here 93%: sparse
      // objects), and dy (from batch norm) sums to 0 per channel over the batch but not per
      // image, so the per-image sums cancel. oneDNN's float32 accumulation over the whole batch
      // was off by 4e-4 relative here (1.9e-4 on the real images).
      const [n, h, w, c] = [124, 28, 28, 16];
      const pixels = seededNormal([n, h, w, 1], 70).dataSync();
      const objects = seededNormal([n, h, w, 1], 71).dataSync();
      const x = Float32Array.from(pixels, (p, i) => (p < 1.5 ? -0.81 : 0.9 * (objects[i] as number)));
      const noise = seededNormal([n, h, w, c], 72).dataSync();
      const perImage = seededNormal([n, c], 73).dataSync();
      const dy = Float32Array.from(
        noise,
        (v, i) => v + 3 * (perImage[Math.floor(i / (h * w * c)) * c + (i % c)] as number),
      );
      for (let k = 0; k < c; k++) {
        let sum = 0;
        for (let i = k; i < dy.length; i += c) sum += dy[i] as number;
        for (let i = k; i < dy.length; i += c) dy[i] = (dy[i] as number) - sum / (n * h * w);
      }
      await expectNativeMatchesCpu(() => {
        const attrs = { strides: [1, 1], pad: 1, dataFormat: 'NHWC', filterShape: [3, 3, 1, c] };
        return tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x: tf.tensor4d(x, [n, h, w, 1]), dy: tf.tensor4d(dy, [n, h, w, c]) },
            asAttrs(attrs),
          ) as tf.Tensor;
      }, ['conv2d']);
    });

    for (const pad of ['same', 'valid'] as const) {
      it(`Conv2D and FusedConv2D with dilation 2, ${pad}`, async () => {
        await expectNativeMatchesCpu(() => {
          const x = seededNormal([2, 11, 10, 3], 5) as tf.Tensor4D;
          const f = seededNormal([3, 3, 3, 4], 6) as tf.Tensor4D;
          const bias = seededNormal([4], 7) as tf.Tensor1D;
          return [
            tf.conv2d(x, f, 1, pad, 'NHWC', 2),
            tf.fused.conv2d({ x, filter: f, strides: 1, pad, dilations: 2, bias, activation: 'relu' }),
          ];
        }, ['conv2d']);
      });
    }

    it('gradients of x and filter through tf.grads of conv2d (strides 1, 2, 3) and fused conv2d + bias + relu', async () => {
      await expectNativeMatchesCpu(() => {
        const x = seededNormal([2, 10, 11, 3], 8) as tf.Tensor4D;
        const f = seededNormal([3, 3, 3, 4], 9) as tf.Tensor4D;
        const bias = seededNormal([4], 10) as tf.Tensor1D;
        const out: tf.Tensor[] = [];
        for (const [stride, pad] of [
          [1, 'same'],
          [2, 'same'],
          [3, 'valid'],
        ] as const) {
          const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad))),
          );
          out.push(...g([x, f]));
        }
        const fused = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
          tf.sum(
            tf.square(
              tf.fused.conv2d({
                x: a as tf.Tensor4D,
                filter: b as tf.Tensor4D,
                strides: 2,
                pad: 'same',
                bias: c,
                activation: 'relu',
              }),
            ),
          ),
        );
        out.push(...fused([x, f, bias]));
        return out;
      }, ['conv2d']);
    });

    for (const [multiplier, stride, pad] of [
      [1, 1, 'same'],
      [2, 1, 'valid'],
      [1, 2, 'same'],
      [2, 2, 'same'],
      [2, 3, 'valid'],
    ] as const) {
      it(`DepthwiseConv2dNative, its backprops and tf.grads: multiplier ${multiplier}, stride ${stride}, ${pad}`, async () => {
        await expectNativeMatchesCpu(() => {
          const x = seededNormal([2, 9, 8, 3], 11) as tf.Tensor4D;
          const f = seededNormal([3, 3, 3, multiplier], 12) as tf.Tensor4D;
          const y = tf.depthwiseConv2d(x, f, stride, pad);
          const dy = seededNormal(y.shape, 13);
          const attrs = { strides: stride, dilations: 1, pad };
          const engine = tf.engine();
          const dx = engine.runKernel(
            'DepthwiseConv2dNativeBackpropInput',
            { dy, filter: f },
            asAttrs({ ...attrs, inputShape: x.shape }),
          ) as tf.Tensor;
          const dw = engine.runKernel(
            'DepthwiseConv2dNativeBackpropFilter',
            { x, dy },
            asAttrs({ ...attrs, filterShape: f.shape }),
          ) as tf.Tensor;
          const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), dy)),
          );
          return [y, dx, dw, ...g([x, f])];
        }, ['conv2d']);
      });
    }

    it('DepthwiseConv2dNative with dilation 2 (forward)', async () => {
      await expectNativeMatchesCpu(() => {
        const x = seededNormal([2, 10, 9, 4], 14) as tf.Tensor4D;
        const f = seededNormal([3, 3, 4, 2], 15) as tf.Tensor4D;
        return [tf.depthwiseConv2d(x, f, 1, 'same', 'NHWC', 2), tf.depthwiseConv2d(x, f, 1, 'valid', 'NHWC', 2)];
      }, ['conv2d']);
    });
  });

  describe('matrix products', () => {
    for (const [transposeA, transposeB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`BatchMatMul and _FusedMatMul (bias, relu), transposeA=${transposeA} transposeB=${transposeB}`, async () => {
        await expectNativeMatchesCpu(() => {
          const shapeA = (batch: number[], m: number, k: number) => [...batch, ...(transposeA ? [k, m] : [m, k])];
          const shapeB = (batch: number[], k: number, n: number) => [...batch, ...(transposeB ? [n, k] : [k, n])];
          const a2 = seededNormal(shapeA([], 6, 13), 20) as tf.Tensor2D;
          const b2 = seededNormal(shapeB([], 13, 5), 21) as tf.Tensor2D;
          const a3 = seededNormal(shapeA([3], 5, 7), 22) as tf.Tensor3D;
          const b3 = seededNormal(shapeB([3], 7, 9), 23) as tf.Tensor3D;
          const a1 = seededNormal(shapeA([1], 5, 7), 24) as tf.Tensor3D;
          const b1 = seededNormal(shapeB([1], 7, 9), 25) as tf.Tensor3D;
          const a4 = seededNormal(shapeA([2, 3], 4, 6), 26);
          const b4 = seededNormal(shapeB([1, 1], 6, 5), 27);
          const bias = seededNormal([5], 28);
          const bias9 = seededNormal([9], 29);
          return [
            tf.matMul(a2, b2, transposeA, transposeB),
            tf.matMul(a3, b3, transposeA, transposeB),
            // A batch of 1 broadcasts on either side.
            tf.matMul(a3, b1, transposeA, transposeB),
            tf.matMul(a1, b3, transposeA, transposeB),
            tf.matMul(a4, b4, transposeA, transposeB),
            tf.fused.matMul({ a: a2, b: b2, transposeA, transposeB, bias, activation: 'relu' }),
            tf.fused.matMul({ a: a2, b: b2, transposeA, transposeB, bias }),
            tf.fused.matMul({ a: a2, b: b2, transposeA, transposeB, activation: 'relu' }),
            tf.fused.matMul({ a: a3, b: b1, transposeA, transposeB, bias: bias9, activation: 'relu' }),
          ];
        }, ['matMul']);
      });
    }

    it('gradients through tf.grads of matMul and fused matMul with bias + relu', async () => {
      await expectNativeMatchesCpu(() => {
        const a = seededNormal([6, 13], 30);
        const b = seededNormal([13, 5], 31);
        const bias = seededNormal([5], 32);
        const a3 = seededNormal([3, 4, 6], 33);
        // tfjs-core's BatchMatMul gradient does not sum over a broadcast batch: equal batches here.
        const b3 = seededNormal([3, 6, 7], 34);
        const plain = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p, q, false, true))));
        const batched = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p, q))));
        const fused = tf.grads((p: tf.Tensor, q: tf.Tensor, c: tf.Tensor) =>
          tf.sum(tf.square(tf.fused.matMul({ a: p as tf.Tensor2D, b: q as tf.Tensor2D, bias: c, activation: 'relu' }))),
        );
        return [...plain([a, seededNormal([5, 13], 35)]), ...batched([a3, b3]), ...fused([a, b, bias])];
      }, ['matMul']);
    });
  });

  describe('batch norm', () => {
    for (const shape of [
      [4, 5, 3, 6],
      [16, 7],
    ]) {
      it(`batchNormTrain on [${shape.join(', ')}]: y, mean, variance and the gradients of x, gamma and beta`, async () => {
        await expectNativeMatchesCpu(() => {
          const channels = shape.at(-1) as number;
          const x = seededNormal(shape, 40, 0.7);
          const gamma = seededNormal([channels], 41) as tf.Tensor1D;
          const beta = seededNormal([channels], 42) as tf.Tensor1D;
          const weights = seededNormal(shape, 43);
          const { y, mean, variance } = batchNormTrain(x, gamma, beta, 1e-5);
          const g = tf.grads((a: tf.Tensor, gm: tf.Tensor, bt: tf.Tensor) =>
            tf.sum(tf.mul(batchNormTrain(a, gm as tf.Tensor1D, bt as tf.Tensor1D, 1e-5).y, weights)),
          );
          return [y, mean, variance, ...g([x, gamma, beta])];
        }, ['batchNorm']);
      });
    }

    it('batchNormTrain on a first conv layer of images with a constant background (1e5 equal values per channel)', async () => {
      // Fashion-MNIST's first conv output: on the background (here 60% of the pixels) each channel
      // holds one value. oneDNN 2.x summed the 10^5 values per channel in float32, rounding the
      // same way every time: the mean was off by 5e-4 relative and ResNet-8's gradients by 1%
      // (docs/benchmarks/2026-12-07-native-bn-statistics.md).
      const [n, h, w, c] = [124, 28, 28, 16];
      await expectNativeMatchesCpu(() => {
        const background = tf.less(tf.randomUniform([n, h, w, 1], 0, 1, 'float32', 60), 0.6);
        const level = tf.linspace(-1.7, 0.9, c);
        const objects = tf.add(level, seededNormal([n, h, w, c], 61));
        const x = tf.where(tf.broadcastTo(background, [n, h, w, c]), tf.broadcastTo(level, [n, h, w, c]), objects);
        const gamma = tf.add(seededNormal([c], 62), 1) as tf.Tensor1D;
        const beta = seededNormal([c], 63) as tf.Tensor1D;
        const { y, mean, variance } = batchNormTrain(x, gamma, beta, 1e-5);
        return [y, mean, variance];
      }, ['batchNorm']);
    });

    it('batchNormTrain statistics are bit-identical on 1 and 2 threads (fixed row blocks)', async () => {
      await tf.setBackend(NATIVE_BACKEND);
      const statistics = (): Float32Array[] =>
        tf.tidy(() => {
          const { mean, variance } = batchNormTrain(
            seededNormal([8, 24, 24, 40], 64, 1.5),
            tf.ones([40]) as tf.Tensor1D,
            tf.zeros([40]) as tf.Tensor1D,
          );
          return [mean.dataSync() as Float32Array, variance.dataSync() as Float32Array];
        });
      const one = statistics();
      await initRuntime({ backend: 'native', nativeThreads: 2 });
      try {
        expect(statistics()).toEqual(one);
      } finally {
        await initRuntime({ backend: 'native', nativeThreads: 1 });
      }
    });

    it('tf.batchNorm (inference) with per-channel statistics, with and without scale and offset', async () => {
      await expectNativeMatchesCpu(() => {
        const x = seededNormal([3, 5, 4, 6], 44, 0.5);
        const mean = seededNormal([6], 45);
        const variance = tf.abs(seededNormal([6], 46));
        const scale = seededNormal([6], 47);
        const offset = seededNormal([6], 48);
        return [
          tf.batchNorm(x, mean, variance, offset, scale, 1e-3),
          tf.batchNorm(x, mean, variance),
          tf.batchNorm(x, mean, variance, undefined, scale, 1e-5),
          tf.batchNorm(tf.reshape(x, [60, 6]), mean, variance, offset, undefined, 1e-5),
          // Per-image statistics: not per-channel, so the cpu kernel runs.
          tf.batchNorm(
            x,
            seededNormal([3, 1, 1, 6], 49),
            tf.abs(seededNormal([3, 1, 1, 6], 50)),
            tf.reshape(offset, [1, 1, 1, 6]),
            tf.reshape(scale, [1, 1, 1, 6]),
          ),
        ];
      }, ['batchNorm']);
    });
  });

  describe('pooling', () => {
    for (const [size, stride, pad] of [
      [3, 1, 'same'],
      [3, 2, 'same'],
      [3, 1, 'valid'],
      [3, 2, 'valid'],
      [2, 2, 'valid'],
    ] as const) {
      for (const [label, shift] of [
        ['normal input', 0],
        ['all-negative input', -10],
      ] as const) {
        it(`MaxPool, AvgPool, MaxPoolGrad${pad === 'valid' ? ' and AvgPoolGrad' : ''}, ${size}x${size}/${stride} ${pad}, ${label}`, async () => {
          await expectNativeMatchesCpu(() => {
            const x = seededNormal([2, 9, 8, 3], 60, shift) as tf.Tensor4D;
            const maxOut = tf.maxPool(x, size, stride, pad);
            const avgOut = tf.avgPool(x, size, stride, pad);
            const dy = seededNormal(maxOut.shape, 61);
            const maxGrad = tf.grad((a: tf.Tensor) =>
              tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, stride, pad), dy)),
            );
            const avgGrad = tf.grad((a: tf.Tensor) =>
              tf.sum(tf.mul(tf.avgPool(a as tf.Tensor4D, size, stride, pad), dy)),
            );
            // With 'same' padding the cpu AvgPoolGrad divides by the full window (below).
            return pad === 'valid' ? [maxOut, avgOut, maxGrad(x), avgGrad(x)] : [maxOut, avgOut, maxGrad(x)];
          }, ['pool2d']);
        });
      }
    }

    for (const [size, stride] of [
      [3, 1],
      [3, 2],
      [2, 2],
    ] as const) {
      it(`AvgPoolGrad ${size}x${size}/${stride} 'same' is the gradient of AvgPool (padding excluded from the count)`, async () => {
        // tfjs-backend-cpu's AvgPoolGrad divides every window by size*size, while its AvgPool
        // divides by the taps inside the input: at the borders it is not AvgPool's gradient. The
        // reference on cpu is AvgPool as (window sums) / (window counts), both depthwise
        // convolutions, whose autodiff gradient is exact.
        await expectNativeMatchesCpu(
          (backend) => {
            const x = seededNormal([2, 9, 8, 3], 62) as tf.Tensor4D;
            const dy = seededNormal(tf.avgPool(x, size, stride, 'same').shape, 63);
            const avg = (a: tf.Tensor4D): tf.Tensor4D => {
              if (backend === NATIVE_BACKEND) return tf.avgPool(a, size, stride, 'same');
              const sums = tf.depthwiseConv2d(a, tf.ones([size, size, 3, 1]) as tf.Tensor4D, stride, 'same');
              const counts = tf.depthwiseConv2d(
                tf.ones([1, 9, 8, 1]) as tf.Tensor4D,
                tf.ones([size, size, 1, 1]) as tf.Tensor4D,
                stride,
                'same',
              );
              return tf.div(sums, counts);
            };
            return [avg(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(avg(a as tf.Tensor4D), dy)))(x)];
          },
          ['pool2d'],
        );
      });
    }

    it('MaxPool of all-negative windows: padding never wins, the gradient goes to the window maximum', async () => {
      await tf.setBackend(NATIVE_BACKEND);
      const x = tf.tensor4d([-3, -1, -2, -4, -5, -6, -9, -8, -7], [1, 3, 3, 1]);
      const y = tf.maxPool(x, 3, 1, 'same');
      expect(Array.from(y.dataSync())).toEqual([-1, -1, -1, -1, -1, -1, -4, -4, -5]);
      // 2x2/2 'same' on 3x3 pads one row and column at the bottom and right only.
      const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'same')))(x);
      expect(Array.from(dx.dataSync())).toEqual([0, 1, 1, 0, 0, 0, 0, 1, 1]);
      tf.dispose([x, y, dx]);
    });
  });

  describe('element-wise ops', () => {
    it('relu gradient (LtlabReluGrad) equals cpu exactly, with exact zeros in x', async () => {
      const { cpu, native, calls } = await onCpuAndNative(() => {
        const x = tf.tensor1d([0, -0, 1.5, -2, 0, 3e-38, -3e-38, 7, 0, -1]);
        const dy = tf.tensor1d([1, 2, 3, 4, -5, 6, 7, 8, 9, 10]);
        const random = seededNormal([3, 5, 7], 70);
        const withZeros = tf.relu(seededNormal([3, 5, 7], 71));
        const g = (a: tf.Tensor, d: tf.Tensor) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), d)))(a);
        return [g(x, dy), g(random, seededNormal([3, 5, 7], 72)), g(withZeros, seededNormal([3, 5, 7], 73))];
      });
      expect(calls).toContain('reluGrad');
      cpu.forEach((expected, i) => {
        // Exact equality (0 and -0 compare equal).
        expect(Array.from(native[i] as Float32Array).every((v, j) => v === expected[j])).toBe(true);
      });
      expect(Array.from(native[0] as Float32Array).map((v) => v + 0)).toEqual([0, 0, 3, 0, 0, 6, 0, 8, 0, 0]);
    });

    const binaryOps: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor]> = [
      ['Add', tf.add],
      ['Sub', tf.sub],
      ['Multiply', tf.mul],
      ['RealDiv', tf.div],
      ['Maximum', tf.maximum],
      ['Minimum', tf.minimum],
      ['SquaredDifference', tf.squaredDifference],
    ];
    const shapePairs: Array<[number[], number[]]> = [
      [
        [2, 3, 4, 5],
        [2, 3, 4, 5],
      ],
      [[2, 3, 4, 5], [5]],
      [[5], [2, 3, 4, 5]],
      [
        [2, 1, 4, 1],
        [1, 3, 1, 5],
      ],
      [
        [2, 3, 4, 5],
        [3, 1, 5],
      ],
      [
        [4, 1],
        [4, 5],
      ],
      [[2, 3, 4, 5], []],
      [[], [2, 3, 4, 5]],
      [[1027], [1027]],
    ];
    for (const [name, op] of binaryOps) {
      it(`${name} with broadcasting: ${shapePairs.map(([a, b]) => `[${a}] op [${b}]`).join(', ')}`, async () => {
        await expectNativeMatchesCpu(
          () =>
            shapePairs.map(([aShape, bShape], i) => {
              const a = seededNormal(aShape, 80 + i);
              const b = seededNormal(bShape, 90 + i);
              // Denominators kept away from zero so that the comparison is of division, not of overflow.
              return op(a, name === 'RealDiv' ? tf.add(tf.abs(b), 0.5) : b);
            }),
          ['binary'],
        );
      });
    }

    it('unary ops: Relu, Neg, Exp, Log, Sqrt, Rsqrt, Square, Abs, Step, Sigmoid, Tanh, LeakyRelu, Relu6', async () => {
      await expectNativeMatchesCpu(() => {
        const out: tf.Tensor[] = [];
        for (const shape of [[3, 4, 5, 7], [1027], [1]]) {
          const x = seededNormal(shape, 100, 0.1);
          const positive = tf.add(tf.abs(x), 0.05);
          out.push(
            tf.relu(x),
            tf.neg(x),
            tf.exp(x),
            tf.log(positive),
            tf.sqrt(positive),
            tf.rsqrt(positive),
            tf.square(x),
            tf.abs(x),
            tf.step(x),
            tf.step(x, 0.3),
            tf.sigmoid(tf.mul(x, 4)),
            tf.tanh(tf.mul(x, 2)),
            tf.leakyRelu(x, 0.2),
            tf.relu6(tf.mul(x, 5)),
          );
        }
        return out;
      }, ['unary']);
    });

    it('gradients of unary and binary ops (broadcast reductions included)', async () => {
      await expectNativeMatchesCpu(() => {
        const x = seededNormal([2, 3, 4, 5], 110);
        const b = seededNormal([4, 1], 111);
        const g = tf.grads((p: tf.Tensor, q: tf.Tensor) =>
          tf.sum(
            tf.addN([
              tf.mul(tf.sigmoid(p), q),
              tf.div(tf.tanh(p), tf.add(tf.abs(q), 1)),
              // tfjs-core's SquaredDifference gradient does not reduce a broadcast input: same shapes.
              tf.squaredDifference(p, tf.reverse(p, 2)),
              tf.exp(tf.mul(tf.sub(p, q), 0.5)),
              tf.leakyRelu(p, 0.1),
            ]),
          ),
        );
        return g([x, b]);
      }, ['binary', 'unary', 'addN']);
    });

    it('float32 tensors cast from int32 and bool (whose cpu storage stays an Int32Array / Uint8Array)', async () => {
      // tfjs-backend-cpu's Cast to float32 is an identity: the result's values are the source's
      // Int32Array or Uint8Array under dtype float32. tfjs-core's Maximum/Minimum gradients take
      // this path (dy * cast(greaterEqual(a, b), 'float32')), as does any mixed int32/float32 op.
      await expectNativeMatchesCpu(() => {
        const ints = tf.tensor2d([1, -2, 3, 4, 5, -6, 7, 8, 9, 10, -11, 12], [3, 4], 'int32');
        const fromInt = tf.cast(ints, 'float32');
        const fromBool = tf.cast(tf.greater(ints, 2), 'float32');
        const x = seededNormal([3, 4], 112);
        const p = seededNormal([2, 3, 4, 5], 113);
        const maxGrad = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.maximum(a, b), 1.5)));
        const minGrad = tf.grad((a: tf.Tensor) => tf.sum(tf.minimum(a, tf.reverse(a, 3))));
        return [
          tf.add(fromInt, x),
          tf.mul(fromBool, x),
          tf.relu(fromInt),
          tf.sum(fromInt, 1),
          tf.matMul(fromInt, tf.transpose(x)),
          tf.mul(ints, x),
          ...maxGrad([p, tf.reverse(p, 3)]),
          minGrad(p),
        ];
      }, ['binary']);
    });

    it('AddN of 2, 3 and 5 tensors', async () => {
      await expectNativeMatchesCpu(() => {
        const xs = [0, 1, 2, 3, 4].map((i) => seededNormal([3, 4, 5], 120 + i));
        return [tf.addN(xs.slice(0, 2)), tf.addN(xs.slice(0, 3)), tf.addN(xs)];
      }, ['addN']);
    });
  });

  describe('parameter updates', () => {
    // Same float32 operations in the same order as the composed ops on cpu: equal to the bit.
    for (const { momentum, nesterov, weightDecay, buffer } of [
      { momentum: 0.9, nesterov: false, weightDecay: 5e-4, buffer: true },
      { momentum: 0.9, nesterov: false, weightDecay: 5e-4, buffer: false },
      { momentum: 0.9, nesterov: true, weightDecay: 1e-4, buffer: true },
      { momentum: 0, nesterov: false, weightDecay: 0, buffer: false },
      { momentum: 0.5, nesterov: false, weightDecay: 0, buffer: true },
    ]) {
      it(`sgdUpdate (LtlabSgdUpdate) equals the composed ops exactly: momentum ${momentum}, nesterov ${nesterov}, decay ${weightDecay}, ${buffer ? 'with' : 'without'} a buffer`, async () => {
        // 70000 elements: above the addon's threading threshold (the loop's parallel form).
        const { cpu, native, calls } = await onCpuAndNative(() => {
          const param = seededNormal([70000], 201);
          const grad = seededNormal([70000], 202);
          const next = sgdUpdate({
            param,
            grad,
            buffer: buffer ? seededNormal([70000], 203) : undefined,
            lr: 0.1,
            momentum,
            weightDecay,
            nesterov,
          });
          return next.buffer === undefined ? [next.param] : [next.param, next.buffer];
        });
        expect(native).toEqual(cpu);
        expect(cpu).toHaveLength(momentum > 0 ? 2 : 1);
        expect(calls).toContain('sgdUpdate');
      });
    }

    it('movingAverage (LtlabMovingAverage) equals the composed ops exactly, with and without a scale', async () => {
      const { cpu, native, calls } = await onCpuAndNative(() => {
        const running = seededNormal([64], 211);
        const value = seededNormal([64], 212);
        return [movingAverage(running, value, 0.1), movingAverage(running, value, 0.1, 128 / 127)];
      });
      expect(native).toEqual(cpu);
      expect(calls).toContain('movingAverage');
    });
  });

  describe('reductions, slice and pad', () => {
    for (const [name, op] of [
      ['Sum', tf.sum],
      ['Mean', tf.mean],
      ['Max', tf.max],
      ['Min', tf.min],
    ] as const) {
      it(`${name} over axes [0,1,2], [1,2], [3], [0], [2,3], all, with and without keepDims`, async () => {
        await expectNativeMatchesCpu(() => {
          const x = seededNormal([3, 5, 4, 6], 130, 0.3);
          const withUnit = seededNormal([3, 1, 4, 6], 131, 0.3);
          const out: tf.Tensor[] = [];
          for (const axes of [[0, 1, 2], [1, 2], [3], [0], [2, 3], undefined, [0, 2]]) {
            for (const keepDims of [false, true]) out.push(op(x, axes, keepDims));
          }
          // A size-1 axis between reduced ones keeps them contiguous.
          out.push(op(withUnit, [1, 2]), op(withUnit, [0, 2], true));
          return out;
        }, ['reduce']);
      });
    }

    it('Slice and PadV2, and their gradients (PadV2 and Slice)', async () => {
      await expectNativeMatchesCpu(() => {
        const x = seededNormal([3, 5, 6, 4], 140);
        const paddings: Array<[number, number]> = [
          [0, 0],
          [1, 2],
          [2, 1],
          [0, 3],
        ];
        const sliced = tf.slice(x, [1, 1, 0, 1], [2, 3, -1, 2]);
        const padded = tf.pad(x, paddings, 1.5);
        const sliceGrad = tf.grad((a: tf.Tensor) =>
          tf.sum(tf.mul(tf.slice(a, [1, 1, 0, 1], [2, 3, -1, 2]), seededNormal(sliced.shape, 141))),
        );
        const padGrad = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.pad(a, paddings), seededNormal(padded.shape, 142))));
        return [
          sliced,
          tf.slice(tf.reshape(x, [18, 20]), [3, 5], [7, 11]),
          tf.slice(tf.reshape(x, [360]), 17, 100),
          padded,
          tf.pad(tf.reshape(x, [18, 20]), [
            [3, 0],
            [1, 4],
          ]),
          sliceGrad(x),
          padGrad(x),
        ];
      }, ['copyBox']);
    });
  });

  it('int32 inputs fall back to the cpu kernels (add, sum, max, mul, slice) and keep their dtype', async () => {
    const { cpu, native, dtypes, calls } = await onCpuAndNative(() => {
      const a = tf.tensor3d([1, -2, 3, 4, 5, -6, 7, 8, 2 ** 24 + 1, 10, 11, 12], [2, 3, 2], 'int32');
      const b = tf.tensor1d([100, -7], 'int32');
      return [
        tf.add(a, b),
        tf.sum(a),
        tf.sum(a, [0, 1]),
        tf.max(a, 2),
        tf.mul(a, b),
        tf.slice(a, [0, 1, 0], [2, 2, 1]),
      ];
    });
    expect(dtypes).toEqual(['int32', 'int32', 'int32', 'int32', 'int32', 'int32']);
    expect(native.map((v) => Array.from(v))).toEqual(cpu.map((v) => Array.from(v)));
    expect(Array.from(native[1] as Float32Array)).toEqual([2 ** 24 + 54]);
    for (const name of ['binary', 'reduce', 'copyBox'] as const) expect(calls).not.toContain(name);
  });

  it('50 conv + batch norm + relu training steps leave tf.memory() flat; read arrays survive recycling', async () => {
    await initRuntime({ backend: 'native', nativeThreads: 1 });
    const [filter, gamma, beta, dense] = tf.tidy(() => [
      tf.variable(seededNormal([3, 3, 3, 8], 150) as tf.Tensor4D, true, 'leak.filter'),
      tf.variable(tf.ones([8]) as tf.Tensor1D, true, 'leak.gamma'),
      tf.variable(tf.zeros([8]) as tf.Tensor1D, true, 'leak.beta'),
      tf.variable(tf.mul(seededNormal([8, 4], 151), 0.3) as tf.Tensor2D, true, 'leak.dense'),
    ]) as [tf.Variable<tf.Rank.R4>, tf.Variable<tf.Rank.R1>, tf.Variable<tf.Rank.R1>, tf.Variable<tf.Rank.R2>];
    const x = seededNormal([4, 8, 8, 3], 152) as tf.Tensor4D;
    const labels = tf.tensor1d([0, 1, 2, 3], 'int32');
    const optimizer = tf.train.sgd(0.05);
    const loss = (): tf.Scalar => {
      const h = tf.conv2d(x, filter, 1, 'same');
      const { y } = batchNormTrain(h, gamma, beta);
      const pooled = tf.mean(tf.relu(y), [1, 2]) as tf.Tensor2D;
      return softmaxCrossEntropy(tf.matMul(pooled, dense), labels, 4);
    };
    resetAddonCalls();
    const counts: number[] = [];
    const bytes: number[] = [];
    const losses: number[] = [];
    for (let step = 0; step < 50; step++) {
      const cost = optimizer.minimize(loss, true) as tf.Scalar;
      losses.push(cost.dataSync()[0] as number);
      cost.dispose();
      counts.push(tf.memory().numTensors);
      bytes.push(tf.memory().numBytes);
    }
    expect([...addonCalls()]).toEqual(expect.arrayContaining(['conv2d', 'batchNorm', 'reluGrad', 'matMul']));
    expect(new Set(counts).size).toBe(1);
    expect(new Set(bytes).size).toBe(1);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)).toBeLessThan(losses[0] as number);
    optimizer.dispose();
    tf.dispose([filter, gamma, beta, dense, x, labels]);

    // A disposed output's array is reused by the next output of the same size; what dataSync() and
    // data() handed out before must not change when that happens.
    const backend = nativeBackend();
    const source = seededNormal([64, 33], 153);
    const sourceValues = source.dataSync();
    const first = tf.relu(source);
    const kept = first.dataSync();
    const keptAsync = await first.data();
    const snapshot = Float32Array.from(kept);
    first.dispose();
    expect(backend.freeBytes).toBeGreaterThan(0);
    const later = [tf.neg(source), tf.exp(source), tf.add(source, 1), tf.mul(source, 3)];
    expect(Array.from(kept)).toEqual(Array.from(snapshot));
    expect(Array.from(keptAsync as Float32Array)).toEqual(Array.from(snapshot));
    // The recycled array holds the new values: later results are right too.
    expect(Array.from(later[0]?.dataSync() ?? [])).toEqual(Array.from(sourceValues, (v) => -v));
    tf.dispose([source, ...later]);
  });

  it('1 thread: two identical training steps from the same seed give bit-identical loss and gradients', async () => {
    const step = (make: () => ReferenceModel) => lossAndGradients('native', make, 4, { nativeThreads: 1 });
    for (const make of [() => createCifarResNet(8, { size: 8 }), () => createResNeXtBlockNet({ size: 16 })]) {
      const a = await step(make);
      const b = await step(make);
      expect(Object.is(a.loss, b.loss)).toBe(true);
      expect(b.grads.length).toBe(a.grads.length);
      a.grads.forEach((g, i) => {
        const other = b.grads[i] as Float32Array;
        expect(Buffer.from(other.buffer).equals(Buffer.from(g.buffer)), `gradient ${i}`).toBe(true);
      });
    }
  });
});
