import type { GradConfig, KernelConfig, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { allFloat32, ints, NATIVE_BACKEND, nativeKernel } from '../native-backend.js';

/** ReLU's gradient in one pass on native: dx = dy where x > 0. */
export const RELU_GRAD = 'LtlabReluGrad';

/** Op codes of elementwise.cc. */
const BINARY: Readonly<Record<string, number>> = {
  Add: 0,
  Sub: 1,
  Multiply: 2,
  RealDiv: 3,
  Maximum: 4,
  Minimum: 5,
  SquaredDifference: 6,
};
const UNARY: Readonly<Record<string, number>> = {
  Relu: 0,
  Neg: 1,
  Exp: 2,
  Log: 3,
  Sqrt: 4,
  Rsqrt: 5,
  Square: 6,
  Abs: 7,
  Step: 8,
  Sigmoid: 9,
  Tanh: 10,
  LeakyRelu: 11,
  Relu6: 12,
};

/**
 * Element strides of `shape` read as `outShape` (0 on broadcast axes), with adjacent axes merged
 * where both operands stay contiguous across them, so the inner loop runs as long as it can.
 */
export function broadcastLayout(
  outShape: readonly number[],
  aShape: readonly number[],
  bShape: readonly number[],
): { shape: number[]; aStrides: number[]; bStrides: number[] } {
  const rank = outShape.length;
  const strides = (shape: readonly number[]): number[] => {
    const padded = [...Array(rank - shape.length).fill(1), ...shape] as number[];
    const out = new Array<number>(rank).fill(0);
    let stride = 1;
    for (let d = rank - 1; d >= 0; d--) {
      out[d] = padded[d] === 1 && (outShape[d] as number) !== 1 ? 0 : stride;
      stride *= padded[d] as number;
    }
    return out;
  };
  const as = strides(aShape);
  const bs = strides(bShape);
  const shape: number[] = [];
  const aStrides: number[] = [];
  const bStrides: number[] = [];
  for (let d = 0; d < rank; d++) {
    const extent = outShape[d] as number;
    if (extent === 1) continue;
    const last = shape.length - 1;
    const mergeable =
      last >= 0 &&
      (aStrides[last] as number) === (as[d] as number) * extent &&
      (bStrides[last] as number) === (bs[d] as number) * extent;
    if (mergeable) {
      shape[last] = (shape[last] as number) * extent;
      aStrides[last] = as[d] as number;
      bStrides[last] = bs[d] as number;
    } else {
      shape.push(extent);
      aStrides.push(as[d] as number);
      bStrides.push(bs[d] as number);
    }
  }
  return { shape, aStrides, bStrides };
}

function binaryConfig(kernelName: string, op: number): KernelConfig {
  return nativeKernel(kernelName, ({ inputs, backend }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    if (!allFloat32(a, b)) return undefined;
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const out = backend.output(outShape);
    if (out.values.length === 0) return out.info;
    const layout = broadcastLayout(outShape, a.shape, b.shape);
    backend.addon.binary(
      op,
      backend.f32(a),
      backend.f32(b),
      out.values,
      ints(layout.shape),
      ints(layout.aStrides),
      ints(layout.bStrides),
    );
    return out.info;
  });
}

function unaryConfig(kernelName: string, op: number): KernelConfig {
  return nativeKernel(kernelName, ({ inputs, attrs, backend }) => {
    const { x } = inputs as { x: TensorInfo };
    if (!allFloat32(x)) return undefined;
    const out = backend.output([...x.shape]);
    const alpha = (attrs as { alpha?: number } | undefined)?.alpha ?? 0;
    backend.addon.unary(op, backend.f32(x), out.values, alpha);
    return out.info;
  });
}

export const binaryConfigs: KernelConfig[] = Object.entries(BINARY).map(([name, op]) => binaryConfig(name, op));
export const unaryConfigs: KernelConfig[] = Object.entries(UNARY).map(([name, op]) => unaryConfig(name, op));

export const addNConfig: KernelConfig = nativeKernel('AddN', ({ inputs, backend }) => {
  const tensors = inputs as unknown as TensorInfo[];
  const first = tensors[0];
  if (first === undefined || !allFloat32(...tensors)) return undefined;
  if (tensors.some((t) => t.shape.join() !== first.shape.join())) return undefined;
  const out = backend.output([...first.shape]);
  backend.addon.addN(out.values, ...tensors.map((t) => backend.f32(t)));
  return out.info;
});

export const reluGradKernelConfig: KernelConfig = nativeKernel(RELU_GRAD, ({ inputs, backend }) => {
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  const out = backend.output([...x.shape]);
  backend.addon.reluGrad(backend.f32(dy), backend.f32(x), out.values);
  return out.info;
});

/**
 * ReLU's gradient for every backend: tfjs-core's dy · cast(step(x)) (three passes) everywhere but
 * native, where it is one pass. Same values: step(x) is 1 for x > 0 and 0 otherwise.
 */
export const reluGradConfig: GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [x] = saved as [Tensor];
    const g = dy as Tensor;
    return {
      x: () =>
        tf.getBackend() === NATIVE_BACKEND && x.dtype === 'float32' && g.dtype === 'float32'
          ? (tf.engine().runKernel(RELU_GRAD, { dy: g, x }) as Tensor)
          : tf.mul(g, tf.cast(tf.step(x), 'float32')),
    };
  },
};
