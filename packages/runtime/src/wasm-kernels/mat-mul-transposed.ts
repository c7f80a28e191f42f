import type { KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { asTensor } from './wasm-heap.js';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

type StockKernel = (args: { inputs: Record<string, TensorInfo>; attrs: object; backend: unknown }) => TensorInfo;

function swapLastTwo(t: Tensor): Tensor {
  const perm = t.shape.map((_, i) => i);
  const last = perm.length - 1;
  perm[last] = last - 1;
  perm[last - 1] = last;
  return tf.transpose(t, perm);
}

/**
 * The stock wasm BatchMatMul/_FusedMatMul use XNNPACK only when neither operand is transposed and
 * fall back to a scalar loop otherwise, which is every dense-layer gradient. Transposing the
 * operand explicitly (a memory-bound copy) and calling the stock kernel untransposed is far faster.
 */
export function untransposedMatMulConfig(
  kernelName: 'BatchMatMul' | '_FusedMatMul',
  stock: KernelConfig,
): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as StockKernel;
  const kernelFunc = ({
    inputs,
    attrs,
    backend,
  }: {
    inputs: Record<string, TensorInfo>;
    attrs: MatMulAttrs;
    backend: unknown;
  }): TensorInfo => {
    if (!attrs.transposeA && !attrs.transposeB) return stockFunc({ inputs, attrs, backend });
    const a = asTensor(inputs.a as TensorInfo);
    const b = asTensor(inputs.b as TensorInfo);
    const at = attrs.transposeA ? swapLastTwo(a) : a;
    const bt = attrs.transposeB ? swapLastTwo(b) : b;
    try {
      return stockFunc({
        inputs: { ...inputs, a: at, b: bt },
        attrs: { ...attrs, transposeA: false, transposeB: false },
        backend,
      });
    } finally {
      if (at !== a) at.dispose();
      if (bt !== b) bt.dispose();
    }
  };
  return {
    kernelName,
    backendName: 'wasm',
    ...(stock.setupFunc === undefined ? {} : { setupFunc: stock.setupFunc }),
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
