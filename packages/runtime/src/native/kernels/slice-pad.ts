import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { slice_util } from '@tensorflow/tfjs-core';
import { allFloat32, ints, nativeKernel } from '../native-backend.js';

/** copyBox's parameters: rank, then source shape, output shape, source begin, output begin, box. */
function boxParams(
  srcShape: readonly number[],
  dstShape: readonly number[],
  srcBegin: readonly number[],
  dstBegin: readonly number[],
  box: readonly number[],
): Int32Array {
  return ints([srcShape.length, ...srcShape, ...dstShape, ...srcBegin, ...dstBegin, ...box]);
}

/** A box of x (TF.js Slice); also the gradient of Pad. */
export const sliceConfig: KernelConfig = nativeKernel('Slice', ({ inputs, attrs, backend }) => {
  const { x } = inputs as { x: TensorInfo };
  const { begin, size } = attrs as { begin: number | number[]; size: number | number[] };
  if (!allFloat32(x) || x.shape.length === 0) return undefined;
  const [start, extent] = slice_util.parseSliceParams(x as never, begin, size) as [number[], number[]];
  const out = backend.output(extent);
  if (out.values.length === 0) return out.info;
  const zeros = x.shape.map(() => 0);
  backend.addon.copyBox(backend.f32(x), out.values, boxParams(x.shape, extent, start, zeros, extent), null);
  return out.info;
});

/** x in a constant frame (TF.js PadV2); also the gradient of Slice. */
export const padConfig: KernelConfig = nativeKernel('PadV2', ({ inputs, attrs, backend }) => {
  const { x } = inputs as { x: TensorInfo };
  const { paddings, constantValue } = attrs as { paddings: Array<[number, number]>; constantValue: number };
  if (!allFloat32(x) || x.shape.length === 0) return undefined;
  const outShape = x.shape.map((extent, d) => (paddings[d]?.[0] ?? 0) + extent + (paddings[d]?.[1] ?? 0));
  const out = backend.output(outShape);
  if (out.values.length === 0) return out.info;
  const zeros = x.shape.map(() => 0);
  const before = paddings.map(([b]) => b);
  backend.addon.copyBox(
    backend.f32(x),
    out.values,
    boxParams(x.shape, outShape, zeros, before, x.shape),
    constantValue,
  );
  return out.info;
});
