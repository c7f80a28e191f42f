import type { backend_util, DataType, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The part of the wasm backend's API that hand-written kernels use: tensors live in the wasm
 * heap, and a kernel reads and writes them through typed-array views of it.
 */
export interface WasmBackendHeap {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): backend_util.TypedArray;
}

export function asWasmBackend(backend: unknown): WasmBackendHeap {
  return backend as WasmBackendHeap;
}

/** A kernel's inputs are the engine's Tensors; compositions call tf ops on them. */
export function asTensor(info: TensorInfo): Tensor {
  return info as Tensor;
}

/** Runs a kernel by name, skipping the op-level checks (e.g. strides and dilations both > 1). */
export function runKernel(name: string, inputs: Record<string, TensorInfo>, attrs: object): Tensor {
  return tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as Tensor;
}

export type NhwcShape = [number, number, number, number];

export function nhwc(shape: readonly number[], what: string): NhwcShape {
  if (shape.length !== 4) throw new Error(`${what} must be rank 4 (NHWC), got shape [${shape.join(', ')}]`);
  return shape as NhwcShape;
}

export function assertChannelsLast(dataFormat: string | undefined, kernel: string): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`${kernel} on wasm supports only NHWC data, got dataFormat '${dataFormat}'`);
  }
}
