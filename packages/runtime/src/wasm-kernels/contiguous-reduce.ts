import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { asWasmBackend } from './wasm-heap.js';

type StockKernel = (args: { inputs: Record<string, TensorInfo>; attrs: object; backend: unknown }) => TensorInfo;

interface ReduceAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/**
 * The stock wasm Sum/Mean transpose the reduced axes to the end first: for batch-norm statistics
 * and their gradients (axes 0,1,2 of NHWC) that is a full copy per call. A reduction over one
 * contiguous block of axes is out[o, i] = sum_m x[o, m, i], which one JS pass over the wasm heap
 * does with float64 accumulators. Innermost-only reductions stay on the stock (native) kernel.
 */
export function contiguousReduceConfig(kernelName: 'Sum' | 'Mean', stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as StockKernel;
  const kernelFunc = (args: {
    inputs: Record<string, TensorInfo>;
    attrs: ReduceAttrs;
    backend: unknown;
  }): TensorInfo => {
    const x = args.inputs.x as TensorInfo;
    const rank = x.shape.length;
    const axes = [...new Set(tf.util.parseAxisParam(args.attrs.axis, x.shape))].sort((a, b) => a - b);
    const first = axes[0];
    const last = axes.at(-1);
    const contiguous = first !== undefined && last !== undefined && last - first + 1 === axes.length;
    if (x.dtype !== 'float32' || !contiguous || last === rank - 1) return stockFunc(args);
    const outer = x.shape.slice(0, first).reduce((a, b) => a * b, 1);
    const middle = x.shape.slice(first, last + 1).reduce((a, b) => a * b, 1);
    const inner = x.shape.slice(last + 1).reduce((a, b) => a * b, 1);
    const outShape = args.attrs.keepDims
      ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d))
      : [...x.shape.slice(0, first), ...x.shape.slice(last + 1)];
    const wasm = asWasmBackend(args.backend);
    const out = wasm.makeOutput(outShape, 'float32');
    const o = wasm.typedArrayFromHeap(out) as Float32Array;
    const v = wasm.typedArrayFromHeap(x) as Float32Array;
    const acc = new Float64Array(inner);
    const scale = kernelName === 'Mean' ? 1 / middle : 1;
    for (let p = 0; p < outer; p++) {
      acc.fill(0);
      let at = p * middle * inner;
      for (let m = 0; m < middle; m++) {
        for (let i = 0; i < inner; i++) acc[i] = (acc[i] as number) + (v[at + i] as number);
        at += inner;
      }
      const base = p * inner;
      for (let i = 0; i < inner; i++) o[base + i] = (acc[i] as number) * scale;
    }
    return out;
  };
  return {
    kernelName,
    backendName: 'wasm',
    ...(stock.setupFunc === undefined ? {} : { setupFunc: stock.setupFunc }),
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
