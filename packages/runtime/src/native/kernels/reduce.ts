import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { backend_util, util } from '@tensorflow/tfjs-core';
import { allFloat32, ints, nativeKernel } from '../native-backend.js';

const OPS: Readonly<Record<string, number>> = { Sum: 0, Mean: 1, Max: 2, Min: 3 };

/**
 * [outer, mid, inner] when the reduced axes are contiguous (after dropping size-1 axes), else
 * undefined and the cpu kernel runs.
 */
export function reductionView(shape: readonly number[], axes: readonly number[]): [number, number, number] | undefined {
  const reduced = new Set(axes);
  const kept = shape.map((extent, d) => ({ extent, reduced: reduced.has(d) })).filter((a) => a.extent !== 1);
  const first = kept.findIndex((a) => a.reduced);
  if (first === -1) return [kept.reduce((p, a) => p * a.extent, 1), 1, 1];
  let end = first;
  while (end < kept.length && kept[end]?.reduced) end++;
  if (kept.slice(end).some((a) => a.reduced)) return undefined;
  const product = (part: typeof kept): number => part.reduce((p, a) => p * a.extent, 1);
  return [product(kept.slice(0, first)), product(kept.slice(first, end)), product(kept.slice(end))];
}

function reduceConfig(kernelName: string, op: number): KernelConfig {
  return nativeKernel(kernelName, ({ inputs, attrs, backend }) => {
    const { x } = inputs as { x: TensorInfo };
    // Max and Min name their axes `reductionIndices`, Sum and Mean `axis`.
    const { axis, reductionIndices, keepDims } = attrs as {
      axis?: number | number[];
      reductionIndices?: number | number[];
      keepDims: boolean;
    };
    if (!allFloat32(x)) return undefined;
    // No axes means every axis, as in TF.js.
    const axes = util.parseAxisParam((axis ?? reductionIndices ?? null) as number[], x.shape);
    const view = reductionView(x.shape, axes);
    if (view === undefined || util.sizeFromShape(x.shape) === 0) return undefined;
    const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
    const shape = keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    const out = backend.output(shape);
    backend.addon.reduce(op, backend.f32(x), out.values, ints(view));
    return out.info;
  });
}

export const reduceConfigs: KernelConfig[] = Object.entries(OPS).map(([name, op]) => reduceConfig(name, op));
