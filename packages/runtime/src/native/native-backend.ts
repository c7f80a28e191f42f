import { totalmem } from 'node:os';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { backend_util, DataId, DataType, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { NativeAddon } from './native-addon.js';

export const NATIVE_BACKEND = 'native';

/**
 * The `native` backend: tfjs-backend-cpu's tensor storage (plain Float32Arrays in the JS heap, no
 * 4 GiB wasm limit) with the kernels that dominate training replaced by oneDNN and OpenMP code
 * that reads and writes those arrays in place. Every other kernel is the cpu backend's.
 */
export class NativeBackend extends MathBackendCPU {
  readonly addon: NativeAddon;
  /** Freed output arrays by length, reused by later outputs of the same size (a step repeats its shapes). */
  readonly #free = new Map<number, Float32Array[]>();
  #freeBytes = 0;
  /** Buffers this backend allocated, and how many stored tensors view each. */
  readonly #users = new Map<ArrayBufferLike, number>();

  readonly #maxFreeBytes: number;

  constructor(addon: NativeAddon, maxFreeBytes = defaultMaxFreeBytes()) {
    super();
    // The cpu backend's first write tells Node users to install tfjs-node "to speed things up
    // dramatically"; on native that advice is wrong (this backend is that speed-up, and tfjs-node
    // cannot install where libtensorflow cannot be downloaded), and it lands in every run's log.
    (this as unknown as { firstUse: boolean }).firstUse = false;
    this.addon = addon;
    this.#maxFreeBytes = maxFreeBytes;
  }

  /**
   * The float32 data of an input tensor, for the addon. The cpu backend's Cast to float32 keeps
   * an int32 or bool source's array and only relabels it, so such storage is converted here.
   */
  f32(info: TensorInfo): Float32Array {
    const values = this.data.get(info.dataId).values;
    return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  }

  /**
   * A new float32 tensor of `shape`, and its array for the addon to fill (every native kernel
   * writes all of its output). Arrays of disposed outputs are reused: fresh ones cost a page
   * fault per 4 KiB and a zero fill, which made element-wise kernels several times slower.
   */
  output(shape: number[]): { info: TensorInfo; values: Float32Array } {
    const length = tf.util.sizeFromShape(shape);
    const values = this.#takeFree(length) ?? new Float32Array(length);
    if (this.#users.has(values.buffer)) this.#freeBytes -= values.byteLength;
    else this.#users.set(values.buffer, 0);
    return { info: this.makeTensorInfo(shape, 'float32', values), values };
  }

  override write(values: backend_util.BackendValues, shape: number[], dtype: DataType): DataId {
    this.#countUser(values, 1);
    return super.write(values, shape, dtype);
  }

  override move(
    dataId: DataId,
    values: backend_util.BackendValues,
    shape: number[],
    dtype: DataType,
    refCount: number,
  ): void {
    this.#countUser(values, 1);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const deleted = super.disposeData(dataId, force);
    if (deleted && values !== undefined && this.#countUser(values, -1) === 0) this.#recycle(values as Float32Array);
    return deleted;
  }

  /** Reads hand out copies of reusable arrays, so a kept result never changes under its reader. */
  override readSync(dataId: DataId): backend_util.BackendValues {
    const values = super.readSync(dataId);
    return ArrayBuffer.isView(values) && this.#users.has(values.buffer) ? (values as Float32Array).slice() : values;
  }

  override dispose(): void {
    this.#free.clear();
    this.#users.clear();
    this.#freeBytes = 0;
    super.dispose();
  }

  /** Bytes held for reuse (bounded by the constructor's maxFreeBytes). */
  get freeBytes(): number {
    return this.#freeBytes;
  }

  #countUser(values: backend_util.BackendValues, delta: number): number | undefined {
    if (!ArrayBuffer.isView(values)) return undefined;
    const users = this.#users.get(values.buffer);
    if (users === undefined) return undefined;
    this.#users.set(values.buffer, users + delta);
    return users + delta;
  }

  /** A freed array of `length` elements, marking its size as the most recently used. */
  #takeFree(length: number): Float32Array | undefined {
    const list = this.#free.get(length);
    const values = list?.pop();
    if (list === undefined || values === undefined) return undefined;
    this.#free.delete(length);
    if (list.length > 0) this.#free.set(length, list);
    return values;
  }

  #recycle(values: Float32Array): void {
    // Only whole arrays this backend allocated come back; views (subarrays) never do.
    if (values.byteOffset !== 0 || values.byteLength !== values.buffer.byteLength) return;
    if (values.byteLength > this.#maxFreeBytes) {
      this.#users.delete(values.buffer);
      return;
    }
    // Over the bound, the sizes used least recently go first (the map iterates oldest first):
    // shapes a run stopped using (a last partial batch, an evaluation) give way to the step's.
    for (const [length, list] of this.#free) {
      if (this.#freeBytes + values.byteLength <= this.#maxFreeBytes) break;
      for (let old = list.pop(); old !== undefined; old = list.pop()) {
        this.#users.delete(old.buffer);
        this.#freeBytes -= old.byteLength;
        if (this.#freeBytes + values.byteLength <= this.#maxFreeBytes) break;
      }
      if (list.length === 0) this.#free.delete(length);
    }
    const list = this.#free.get(values.length) ?? [];
    list.push(values);
    this.#free.delete(values.length);
    this.#free.set(values.length, list);
    this.#freeBytes += values.byteLength;
  }
}

/**
 * The default bound on freed outputs kept for reuse: half the machine's memory. The pool refills
 * with what one step frees and the next step takes it back, so it stays near the step's own peak;
 * the bound only stops shapes a run no longer uses from piling up. Lower bounds cost page faults
 * every step: ResNet-50 at 224x224, batch 32, frees over 6.3 GB a step, and took 21.7 s a step
 * on 1 thread with a 2 GiB bound, 14.1 s with 6 GiB and 10.5 s with 8 GiB (24 GiB machine).
 */
export function defaultMaxFreeBytes(): number {
  return Math.floor(totalmem() / 2);
}

/** A kernel whose native body may decline (return undefined) for inputs it does not cover. */
export type NativeKernelBody = (
  args: Parameters<KernelFunc>[0] & { backend: NativeBackend },
) => TensorInfo | TensorInfo[] | undefined;

/** A native kernel that falls back to the cpu backend's kernel of the same name when it declines. */
export function nativeKernel(kernelName: string, body: NativeKernelBody): KernelConfig {
  const stock = tf.getKernel(kernelName, 'cpu');
  return {
    kernelName,
    backendName: NATIVE_BACKEND,
    kernelFunc: (args) => {
      const result = body(args as Parameters<NativeKernelBody>[0]);
      if (result !== undefined) return result;
      if (stock === undefined)
        throw new Error(`native: ${kernelName} does not cover these inputs and cpu has no kernel`);
      return stock.kernelFunc(args);
    },
  };
}

/** True when every tensor is float32 (the addon's only type). */
export function allFloat32(...infos: Array<TensorInfo | undefined>): boolean {
  return infos.every((info) => info === undefined || info.dtype === 'float32');
}

export function ints(values: readonly number[]): Int32Array {
  return Int32Array.from(values);
}
