import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { backend_util, util } from '@tensorflow/tfjs-core';
import { allFloat32, ints, type NativeBackend, nativeKernel } from '../native-backend.js';

/**
 * a·b (batched, transposes as attributes) through the addon's sgemm. A batch dimension broadcasts
 * when one side's batch is 1; other broadcasts, and activations other than ReLU, use the cpu kernel.
 */
function matMul(
  backend: NativeBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias?: TensorInfo,
  relu = false,
): TensorInfo | undefined {
  if (!allFloat32(a, b, bias) || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const m = a.shape.at(transposeA ? -1 : -2) as number;
  const k = a.shape.at(transposeA ? -2 : -1) as number;
  const n = b.shape.at(transposeB ? -2 : -1) as number;
  if ((b.shape.at(transposeB ? -1 : -2) as number) !== k) return undefined;
  const batchShape = backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = util.sizeFromShape(batchShape);
  const aBatch = util.sizeFromShape(a.shape.slice(0, -2));
  const bBatch = util.sizeFromShape(b.shape.slice(0, -2));
  if ((aBatch !== batch && aBatch !== 1) || (bBatch !== batch && bBatch !== 1)) return undefined;
  if (bias !== undefined && util.sizeFromShape(bias.shape) !== n) return undefined;
  const out = backend.output([...batchShape, m, n]);
  const params = ints([
    batch,
    m,
    n,
    k,
    transposeA ? 1 : 0,
    transposeB ? 1 : 0,
    aBatch === 1 ? 0 : m * k,
    bBatch === 1 ? 0 : k * n,
  ]);
  backend.addon.matMul(
    backend.f32(a),
    backend.f32(b),
    out.values,
    params,
    bias === undefined ? null : backend.f32(bias),
    relu ? 1 : 0,
  );
  return out.info;
}

export const batchMatMulConfig: KernelConfig = nativeKernel('BatchMatMul', ({ inputs, attrs, backend }) => {
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  return matMul(backend, a, b, transposeA, transposeB);
});

export const fusedMatMulConfig: KernelConfig = nativeKernel('_FusedMatMul', ({ inputs, attrs, backend }) => {
  const { a, b, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined>;
  const { transposeA, transposeB, activation } = attrs as {
    transposeA: boolean;
    transposeB: boolean;
    activation: string;
  };
  if (a === undefined || b === undefined || preluActivationWeights !== undefined) return undefined;
  if (activation !== 'linear' && activation !== 'relu') return undefined;
  return matMul(backend, a, b, transposeA, transposeB, bias, activation === 'relu');
});
