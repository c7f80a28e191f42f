/**
 * Interleaved A/B timing of the wasm conv-backprop compositions on ResNet-32's layer shapes
 * (batch 128), old vs current, and optionally of whole ResNet-32 training steps with the old
 * compositions registered vs the current ones. Prints medians and median per-pair ratios;
 * asserts nothing.
 *
 *   MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=17179869184 \
 *     npx tsx --conditions=@ltlab/source packages/runtime/scripts/conv-backprop-ab.ts [--reps 9] [--steps 0]
 */
import { parseArgs } from 'node:util';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { initRuntime } from '../src/init-runtime.js';
import { createCifarResNet, randomBatch, softmaxCrossEntropy } from '../src/testing/reference-models.js';
import {
  conv2dBackpropFilter,
  conv2dBackpropFilterByConv,
  conv2dBackpropFilterConfig,
} from '../src/wasm-kernels/conv2d-backprop-filter.js';
import {
  conv2dBackpropInput,
  conv2dBackpropInputByConv,
  conv2dBackpropInputConfig,
} from '../src/wasm-kernels/conv2d-backprop-input.js';

const { values: args } = parseArgs({
  options: { reps: { type: 'string', default: '9' }, steps: { type: 'string', default: '0' } },
});
const reps = Number(args.reps);
const stepPairs = Number(args.steps);

type Shape4 = [number, number, number, number];
interface Layer {
  name: string;
  x: Shape4;
  f: Shape4;
  stride: number;
}

/** ResNet-32's distinct conv shapes at batch 128 ('same' padding throughout). */
const LAYERS: Layer[] = [
  { name: 'stem 3x3 3->16, 32x32', x: [128, 32, 32, 3], f: [3, 3, 3, 16], stride: 1 },
  { name: '3x3 16->16, 32x32', x: [128, 32, 32, 16], f: [3, 3, 16, 16], stride: 1 },
  { name: '3x3/2 16->32, 32x32', x: [128, 32, 32, 16], f: [3, 3, 16, 32], stride: 2 },
  { name: '1x1/2 16->32, 32x32', x: [128, 32, 32, 16], f: [1, 1, 16, 32], stride: 2 },
  { name: '3x3 32->32, 16x16', x: [128, 16, 16, 32], f: [3, 3, 32, 32], stride: 1 },
  { name: '3x3/2 32->64, 16x16', x: [128, 16, 16, 32], f: [3, 3, 32, 64], stride: 2 },
  { name: '1x1/2 32->64, 16x16', x: [128, 16, 16, 32], f: [1, 1, 32, 64], stride: 2 },
  { name: '3x3 64->64, 8x8', x: [128, 8, 8, 64], f: [3, 3, 64, 64], stride: 1 },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Runs a and b alternately; returns both medians and the median of the per-pair ratios a/b. */
function interleaved(a: () => tf.Tensor, b: () => tf.Tensor, count: number): [number, number, number] {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < count + 1; i++) {
    for (const [fn, times] of [
      [a, ta],
      [b, tb],
    ] as const) {
      const t0 = performance.now();
      const out = fn();
      out.dataSync();
      if (i > 0) times.push(performance.now() - t0);
      out.dispose();
    }
  }
  return [median(ta), median(tb), median(ta.map((v, i) => v / (tb[i] as number)))];
}

await initRuntime({ backend: 'wasm' });
console.log(`interleaved, ${reps} pairs per row after one warm-up pair; ratio = old / current (> 1: current faster)`);
console.log('| layer | kernel | old ms | current ms | ratio |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const layer of LAYERS) {
  const x = tf.randomNormal(layer.x) as tf.Tensor4D;
  const filter = tf.randomNormal(layer.f) as tf.Tensor4D;
  const dy = tf.randomNormal(tf.conv2d(x, filter, layer.stride, 'same').shape);
  const strides: [number, number] = [layer.stride, layer.stride];
  const dwAttrs = { strides, pad: 'same' as const, filterShape: layer.f };
  const dxAttrs = { strides, pad: 'same' as const, inputShape: layer.x };
  const rows: Array<[string, () => tf.Tensor, () => tf.Tensor]> = [
    [
      'Conv2DBackpropFilter',
      () => conv2dBackpropFilterByConv(x, dy, dwAttrs),
      () => conv2dBackpropFilter(x, dy, dwAttrs, tf.backend()),
    ],
  ];
  if (layer.f[2] > 3) {
    rows.push([
      'Conv2DBackpropInput',
      () => conv2dBackpropInputByConv(dy, filter, dxAttrs),
      () => conv2dBackpropInput(dy, filter, dxAttrs),
    ]);
  }
  for (const [kernel, oldFn, newFn] of rows) {
    const [oldMs, newMs, ratio] = interleaved(oldFn, newFn, reps);
    console.log(`| ${layer.name} | ${kernel} | ${oldMs.toFixed(1)} | ${newMs.toFixed(1)} | ${ratio.toFixed(2)} |`);
  }
  tf.dispose([x, filter, dy]);
}

if (stepPairs > 0) {
  type Args = { inputs: Record<string, TensorInfo>; attrs: never };
  const oldKernels: KernelConfig[] = [
    {
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: (({ inputs, attrs }: Args) =>
        conv2dBackpropFilterByConv(inputs.x as tf.Tensor, inputs.dy as tf.Tensor, attrs)) as unknown as KernelFunc,
    },
    {
      kernelName: 'Conv2DBackpropInput',
      backendName: 'wasm',
      kernelFunc: (({ inputs, attrs }: Args) =>
        conv2dBackpropInputByConv(inputs.dy as tf.Tensor, inputs.filter as tf.Tensor, attrs)) as unknown as KernelFunc,
    },
  ];
  const currentKernels = [conv2dBackpropFilterConfig, conv2dBackpropInputConfig];
  const use = (configs: KernelConfig[]): void => {
    for (const config of configs) {
      tf.unregisterKernel(config.kernelName, 'wasm');
      tf.registerKernel(config);
    }
  };
  const model = createCifarResNet(32);
  const { x, labels } = randomBatch(model, 128, 1);
  const optimizer = tf.train.momentum(0.1, 0.9);
  const step = (): void => {
    const cost = optimizer.minimize(() => softmaxCrossEntropy(model.forward(x), labels, model.numClasses), true);
    cost?.dataSync();
    cost?.dispose();
  };
  step();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < stepPairs; i++) {
    use(oldKernels);
    let t0 = performance.now();
    step();
    ta.push(performance.now() - t0);
    use(currentKernels);
    t0 = performance.now();
    step();
    tb.push(performance.now() - t0);
  }
  const ratios = ta.map((v, i) => v / (tb[i] as number));
  console.log(
    `ResNet-32 step, ${stepPairs} interleaved pairs: old ${median(ta).toFixed(0)} ms, current ${median(tb).toFixed(0)} ms, ` +
      `median ratio ${median(ratios).toFixed(3)} (per pair: ${ratios.map((r) => r.toFixed(3)).join(', ')})`,
  );
}
