import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initRuntime } from '../init-runtime.js';
import { onCpuAndWasm, relativeError, seededNormal } from '../testing/compare-backends.js';
import { conv2dBackpropFilterByRowChunks } from './conv2d-backprop-filter.js';
import { heapConv2D } from './heap-conv2d.js';

/** Kernel attrs as the engine takes them (explicit paddings are nested arrays). */
function asAttrs(attrs: object): tf.NamedAttrMap {
  return attrs as tf.NamedAttrMap;
}

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

async function expectWasmMatchesCpu(fn: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const { cpu, wasm } = await onCpuAndWasm(fn);
  expect(wasm.length).toBe(cpu.length);
  cpu.forEach((expected, i) => {
    expect(wasm[i]?.length).toBe(expected.length);
    expect(relativeError(wasm[i] as Float32Array, expected)).toBeLessThan(1e-4);
  });
}

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
  const info = await initRuntime({ backend: 'wasm' });
  expect(info.wasmKernels?.added).toContain('Conv2DBackpropFilter');
});

const convCases: Array<{
  x: [number, number, number, number];
  f: [number, number, number, number];
  s: number | [number, number];
  pad: Pad;
}> = [
  { x: [2, 8, 8, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
  { x: [2, 9, 7, 3], f: [3, 3, 3, 5], s: 2, pad: 'same' },
  { x: [1, 8, 8, 4], f: [3, 3, 4, 2], s: 2, pad: 'same' },
  { x: [2, 9, 9, 2], f: [3, 3, 2, 3], s: 1, pad: 'valid' },
  { x: [1, 11, 10, 2], f: [3, 2, 2, 3], s: 3, pad: 'valid' },
  { x: [2, 8, 8, 4], f: [1, 1, 4, 6], s: 2, pad: 'same' },
  { x: [1, 15, 15, 3], f: [7, 7, 3, 4], s: 2, pad: 'same' },
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
  // Stride > 1 beyond the first eight: the phase decomposition of dx, including phases with no
  // filter taps (filter smaller than the stride), even filters and padding larger than a stride.
  { x: [2, 8, 8, 16], f: [3, 3, 16, 32], s: 2, pad: 'same' },
  { x: [2, 10, 10, 5], f: [3, 3, 5, 4], s: 2, pad: 'valid' },
  { x: [2, 7, 9, 3], f: [1, 1, 3, 5], s: 2, pad: 'valid' },
  { x: [1, 9, 9, 3], f: [1, 1, 3, 2], s: 3, pad: 'same' },
  { x: [2, 12, 11, 3], f: [4, 4, 3, 4], s: 2, pad: 'same' },
  { x: [1, 10, 10, 4], f: [2, 2, 4, 3], s: 3, pad: 'same' },
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
  { x: [2, 9, 8, 3], f: [3, 3, 3, 4], s: [2, 1], pad: 'same' },
  // 1x1 dW as a matmul: stride 1, unequal strides, bottom padding read as zeros; leading padding
  // takes the conv composition.
  { x: [2, 5, 6, 4], f: [1, 1, 4, 3], s: 1, pad: 'valid' },
  { x: [2, 9, 8, 3], f: [1, 1, 3, 4], s: [3, 2], pad: 'same' },
  {
    x: [1, 6, 7, 3],
    f: [1, 1, 3, 2],
    s: 2,
    pad: [
      [0, 0],
      [0, 3],
      [0, 2],
      [0, 0],
    ],
  },
  {
    x: [1, 6, 7, 3],
    f: [1, 1, 3, 2],
    s: 2,
    pad: [
      [0, 0],
      [1, 0],
      [2, 1],
      [0, 0],
    ],
  },
];

describe('wasm training kernels match the cpu backend (relative error < 1e-4)', () => {
  for (const c of convCases) {
    const label = `x ${c.x.join('x')}, filter ${c.f.join('x')}, stride ${c.s}, pad ${JSON.stringify(c.pad)}`;
    it(`Conv2DBackpropFilter and Conv2DBackpropInput: ${label}`, async () => {
      await expectWasmMatchesCpu(() => {
        const x = seededNormal(c.x, 1) as tf.Tensor4D;
        const f = seededNormal(c.f, 2) as tf.Tensor4D;
        const dy = seededNormal(tf.conv2d(x, f, c.s, c.pad).shape, 3);
        const attrs = { strides: typeof c.s === 'number' ? [c.s, c.s] : c.s, pad: c.pad, dataFormat: 'NHWC' };
        const engine = tf.engine();
        const dw = engine.runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          asAttrs({ ...attrs, filterShape: c.f }),
        ) as tf.Tensor;
        const dx = engine.runKernel(
          'Conv2DBackpropInput',
          { dy, filter: f },
          asAttrs({ ...attrs, inputShape: c.x }),
        ) as tf.Tensor;
        return [dw, dx];
      });
    });
  }

  it('Conv2DBackpropFilter in chunks of 1, 2 and 3 dy rows (the kernel takes one chunk at these sizes)', async () => {
    const chunked = convCases.filter((c) => c.f[0] > 1 || c.f[1] > 1);
    const dw = async (backend: string, rows: number): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      const heap = heapConv2D(tf.backend());
      return chunked.map((c) =>
        tf.tidy(() => {
          const x = seededNormal(c.x, 1) as tf.Tensor4D;
          const dy = seededNormal(tf.conv2d(x, seededNormal(c.f, 2) as tf.Tensor4D, c.s, c.pad).shape, 3);
          const attrs = { strides: c.s, pad: c.pad, filterShape: c.f, dataFormat: 'NHWC' };
          const out =
            heap === undefined
              ? (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, asAttrs(attrs)) as tf.Tensor)
              : conv2dBackpropFilterByRowChunks(x, dy, attrs, heap, rows);
          return Float32Array.from(out.dataSync());
        }),
      );
    };
    const expected = await dw('cpu', 0);
    expect(heapConv2D(tf.findBackend('wasm'))).toBeDefined();
    for (const rows of [1, 2, 3]) {
      const actual = await dw('wasm', rows);
      expected.forEach((e, i) => {
        expect(relativeError(actual[i] as Float32Array, e)).toBeLessThan(1e-4);
      });
    }
  });

  it('Conv2DBackpropFilter and Input through tf.grads of conv2d', async () => {
    await expectWasmMatchesCpu(() => {
      const x = seededNormal([2, 10, 10, 3], 4) as tf.Tensor4D;
      const f = seededNormal([3, 3, 3, 4], 5) as tf.Tensor4D;
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))),
      );
      return g([x, f]);
    });
  });

  for (const [transposeA, transposeB] of [
    [true, false],
    [false, true],
    [true, true],
    [false, false],
  ] as const) {
    it(`BatchMatMul and _FusedMatMul with transposeA=${transposeA} transposeB=${transposeB}`, async () => {
      await expectWasmMatchesCpu(() => {
        const a = seededNormal(transposeA ? [3, 7, 5] : [3, 5, 7], 6);
        const b = seededNormal(transposeB ? [3, 9, 7] : [3, 7, 9], 7);
        const a2 = seededNormal(transposeA ? [13, 6] : [6, 13], 8) as tf.Tensor2D;
        const b2 = seededNormal(transposeB ? [4, 13] : [13, 4], 9) as tf.Tensor2D;
        const bias = seededNormal([4], 10);
        return [
          tf.matMul(a, b, transposeA, transposeB),
          tf.fused.matMul({ a: a2, b: b2, transposeA, transposeB, bias, activation: 'relu' }),
        ];
      });
    });
  }

  for (const [size, stride, pad] of [
    [3, 2, 'same'],
    [2, 2, 'valid'],
    [3, 1, 'same'],
    [3, 2, 'valid'],
  ] as const) {
    it(`MaxPoolGrad ${size}x${size}/${stride} ${pad}, including all-negative windows`, async () => {
      await expectWasmMatchesCpu(() => {
        const x = seededNormal([2, 9, 8, 3], 11, -2.5) as tf.Tensor4D;
        const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, stride, pad), 1.5)));
        return g(x);
      });
    });
  }

  it('MaxPoolGrad routes gradients of all-negative windows (the stock wasm kernel drops them)', async () => {
    await tf.setBackend('wasm');
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')));
    const dx = g(tf.tensor4d([-3, -1, -2, -4], [1, 2, 2, 1]));
    expect(Array.from(dx.dataSync())).toEqual([0, 1, 0, 0]);
  });

  it('AvgPoolGrad (stock) with odd sizes and both paddings', async () => {
    await expectWasmMatchesCpu(() => {
      const x = seededNormal([2, 9, 7, 3], 12) as tf.Tensor4D;
      const g = tf.grad((a: tf.Tensor) =>
        tf.add(
          tf.sum(tf.square(tf.avgPool(a as tf.Tensor4D, 3, 2, 'same'))),
          tf.sum(tf.square(tf.avgPool(a as tf.Tensor4D, 2, 2, 'valid'))),
        ),
      );
      return g(x);
    });
  });

  it('UnsortedSegmentSum, through the gradient of gather', async () => {
    await expectWasmMatchesCpu(() => {
      const table = seededNormal([6, 4], 13);
      const indices = tf.tensor1d([0, 5, 2, 2, 5, 5, 1], 'int32');
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, indices))));
      const direct = tf.unsortedSegmentSum(seededNormal([7, 3], 14), tf.tensor1d([1, 0, 3, 1, -1, 3, 9], 'int32'), 4);
      return [g(table), direct];
    });
  });

  for (const [stride, dilation, pad] of [
    [1, 1, 'same'],
    [2, 1, 'same'],
  ] as const) {
    it(`DepthwiseConv2dNative backprops, stride ${stride}, dilation ${dilation}, ${pad}`, async () => {
      await expectWasmMatchesCpu(() => {
        const x = seededNormal([2, 9, 8, 3], 15) as tf.Tensor4D;
        const f = seededNormal([3, 3, 3, 2], 16) as tf.Tensor4D;
        const dy = seededNormal(tf.depthwiseConv2d(x, f, stride, pad, 'NHWC', dilation).shape, 17);
        // tfjs-core's gradient refuses dilation > 1, so the kernels are called directly.
        const attrs = { strides: stride, dilations: dilation, pad };
        const engine = tf.engine();
        return [
          engine.runKernel(
            'DepthwiseConv2dNativeBackpropInput',
            { dy, filter: f },
            asAttrs({ ...attrs, inputShape: x.shape }),
          ) as tf.Tensor,
          engine.runKernel(
            'DepthwiseConv2dNativeBackpropFilter',
            { x, dy },
            asAttrs({ ...attrs, filterShape: f.shape }),
          ) as tf.Tensor,
        ];
      });
    });
  }

  it('DepthwiseConv2dNative backprops with dilation 2 equal dilation 1 with a zero-spread filter on cpu', async () => {
    // The cpu kernels ignore dilation (and tfjs-core refuses its gradient), so the reference is
    // the undilated 5x5 filter whose odd taps are zero.
    const attrs = { strides: 1, pad: 'same' };
    const run = async (backend: string, dilation: number): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      const out = tf.tidy(() => {
        const x = seededNormal([2, 9, 8, 3], 15) as tf.Tensor4D;
        const small = seededNormal([3, 3, 3, 2], 16);
        const spread = tf.reshape(
          tf.pad(tf.reshape(small, [3, 1, 3, 1, 3, 2]), [
            [0, 0],
            [0, 1],
            [0, 0],
            [0, 1],
            [0, 0],
            [0, 0],
          ]),
          [6, 6, 3, 2],
        );
        const f = (dilation === 1 ? tf.slice(spread, [0, 0, 0, 0], [5, 5, 3, 2]) : small) as tf.Tensor4D;
        const dy = seededNormal([2, 9, 8, 6], 17);
        const engine = tf.engine();
        const dx = engine.runKernel(
          'DepthwiseConv2dNativeBackpropInput',
          { dy, filter: f },
          asAttrs({ ...attrs, dilations: dilation, inputShape: x.shape }),
        ) as tf.Tensor;
        const dwFull = engine.runKernel(
          'DepthwiseConv2dNativeBackpropFilter',
          { x, dy },
          asAttrs({ ...attrs, dilations: dilation, filterShape: f.shape }),
        ) as tf.Tensor;
        const dw = dilation === 1 ? tf.stridedSlice(dwFull, [0, 0, 0, 0], [5, 5, 3, 2], [2, 2, 1, 1]) : dwFull;
        return [dx, dw];
      });
      const values = out.map((t) => Float32Array.from(t.dataSync()));
      tf.dispose(out);
      return values;
    };
    const expected = await run('cpu', 1);
    const actual = await run('wasm', 2);
    expected.forEach((e, i) => {
      expect(relativeError(actual[i] as Float32Array, e)).toBeLessThan(1e-4);
    });
  });

  it('Sum and Mean over leading, middle, trailing and scattered axes, with and without keepDims', async () => {
    await expectWasmMatchesCpu(() => {
      const x = seededNormal([3, 5, 4, 6], 22, 0.3);
      const out: tf.Tensor[] = [];
      for (const axes of [[0, 1, 2], [1, 2], [0], [1], [3], [2, 3], [0, 2], [0, 1, 2, 3]]) {
        for (const keepDims of [false, true]) out.push(tf.sum(x, axes, keepDims), tf.mean(x, axes, keepDims));
      }
      return out;
    });
  });

  it('Identity and same-dtype Cast share the buffer and survive disposal of the source', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    const z = tf.cast(x, 'float32');
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(z.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(tf.cast(tf.tensor1d([1.7, -2.2]), 'int32').dataSync())).toEqual([1, -2]);
    tf.dispose([y, z]);
  });

  it("AvgPool with 1 x g windows and 1x1 FusedDepthwiseConv2D with bias (batch norm's passes)", async () => {
    await expectWasmMatchesCpu(() => {
      const x = seededNormal([1, 37, 48, 5], 28, 3);
      const scale = seededNormal([1, 1, 5, 1], 29) as tf.Tensor4D;
      const shift = seededNormal([5], 30) as tf.Tensor1D;
      return [
        tf.avgPool(x as tf.Tensor4D, [1, 48], [1, 48], 'valid'),
        tf.avgPool(x as tf.Tensor4D, [1, 16], [1, 16], 'valid'),
        tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: scale, strides: 1, pad: 'valid', bias: shift }),
      ];
    });
  });

  it('FusedBatchNorm with per-channel and per-image statistics, with and without scale and offset', async () => {
    await expectWasmMatchesCpu(() => {
      const x = seededNormal([3, 5, 4, 6], 21, 0.5);
      const mean = seededNormal([6], 22);
      const variance = tf.abs(seededNormal([6], 23));
      const scale = seededNormal([6], 24);
      const offset = seededNormal([6], 25);
      const as4d = (t: tf.Tensor) => tf.reshape(t, [1, 1, 1, 6]);
      const imageMean = seededNormal([3, 1, 1, 6], 26);
      const imageVariance = tf.abs(seededNormal([3, 1, 1, 6], 27));
      return [
        tf.batchNorm(x, mean, variance, offset, scale, 1e-3),
        tf.batchNorm(x, mean, variance),
        tf.batchNorm(tf.reshape(x, [60, 6]), mean, variance, undefined, scale, 1e-5),
        tf.batchNorm(x, as4d(mean), as4d(variance), as4d(offset), undefined, 1e-5),
        tf.batchNorm(x, imageMean, imageVariance, as4d(offset), as4d(scale), 1e-5),
      ];
    });
  });

  it('batch norm in train mode: gradients of x, gamma and beta through moments', async () => {
    await expectWasmMatchesCpu(() => {
      const x = seededNormal([4, 5, 3, 6], 17, 0.7);
      const gamma = seededNormal([6], 18);
      const beta = seededNormal([6], 19);
      const weights = seededNormal([4, 5, 3, 6], 20);
      const g = tf.grads((a: tf.Tensor, gm: tf.Tensor, bt: tf.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(a, mean, variance, bt, gm, 1e-5), weights));
      });
      return g([x, gamma, beta]);
    });
  });

  it('softmax cross-entropy, log-softmax and the usual loss ops', async () => {
    await expectWasmMatchesCpu(() => {
      const logits = seededNormal([5, 7], 21);
      const labels = tf.oneHot(tf.tensor1d([0, 3, 6, 2, 2], 'int32'), 7);
      const g = tf.grad((z: tf.Tensor) => {
        const ce = tf.losses.softmaxCrossEntropy(labels, z);
        const norm = tf.div(z, tf.norm(z, 'euclidean', 1, true));
        const sim = tf.matMul(norm, norm, false, true);
        const focal = tf.mean(tf.mul(tf.pow(tf.sub(1, tf.softmax(z)), 2), tf.neg(tf.logSoftmax(z))));
        return tf.addN([ce, tf.mean(tf.exp(tf.div(sim, 0.07))), focal, tf.mean(tf.max(z, 1)), tf.mean(tf.sigmoid(z))]);
      });
      return g(logits);
    });
  });
});
