import type { TensorInfo } from '@tensorflow/tfjs-core';

/** The internals of tfjs-backend-wasm 4.22 this uses (not part of its typed API). */
interface WasmBackendInternals {
  wasm: {
    cwrap(name: string, returnType: null, argTypes: string[]): (...args: number[]) => void;
    tfjs: {
      registerTensor(id: number, size: number, memoryOffset: number): void;
      disposeData(id: number): void;
    };
  };
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
  dataIdNextNumber: number;
}

/** A stride-1 NHWC convolution with explicit padding and dilation on float32 blocks of the heap. */
export interface BlockConv2D {
  /** Byte offsets of x [batch, inHeight, inWidth, inChannels], the HWIO filter, and out. */
  x: number;
  filter: number;
  out: number;
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  filterHeight: number;
  filterWidth: number;
  outChannels: number;
  /** [top, right, bottom, left] */
  pad: [number, number, number, number];
  dilationHeight: number;
  dilationWidth: number;
  /** Element count of out (the caller sized its block). */
  outSize: number;
}

export interface HeapConv2D {
  /** Byte offset of a tensor's data in the wasm heap. */
  offsetOf(info: TensorInfo): number;
  run(c: BlockConv2D): void;
}

const cache = new WeakMap<object, HeapConv2D>();

/**
 * The stock wasm Conv2D entry point (XNNPACK) on blocks inside existing tensors, so a
 * composition can cut one tensor into many operands without copying; undefined when the backend
 * object lacks the 4.x internals this relies on. Each operand is registered
 * with the C side under a fresh id (reserved from the backend's counter, so no tensor can take
 * it) pointing into the caller's buffer, and unregistered right after; unregistering runs the C
 * disposal callbacks, which delete the XNNPACK operator cached on the filter id. Nothing is
 * allocated or freed on the JS side.
 */
export function heapConv2D(backend: unknown): HeapConv2D | undefined {
  const cached = cache.get(backend as object);
  if (cached !== undefined) return cached;
  const internals = backend as Partial<WasmBackendInternals>;
  const { wasm } = internals;
  if (
    typeof wasm?.cwrap !== 'function' ||
    typeof wasm.tfjs?.registerTensor !== 'function' ||
    typeof wasm.tfjs.disposeData !== 'function' ||
    typeof internals.dataIdNextNumber !== 'number' ||
    typeof internals.dataIdMap?.get !== 'function'
  ) {
    return undefined;
  }
  const dataIdMap = internals.dataIdMap;
  const conv2d = wasm.cwrap('Conv2D', null, new Array<string>(19).fill('number'));
  const register = (offset: number, size: number): number => {
    const id = internals.dataIdNextNumber as number;
    internals.dataIdNextNumber = id + 1;
    wasm.tfjs.registerTensor(id, size, offset);
    return id;
  };
  const api: HeapConv2D = {
    offsetOf(info) {
      const data = dataIdMap.get(info.dataId);
      if (data === undefined) throw new Error('heapConv2D: tensor is not on the wasm backend');
      return data.memoryOffset;
    },
    run(c) {
      const xId = register(c.x, c.batch * c.inHeight * c.inWidth * c.inChannels);
      const filterId = register(c.filter, c.filterHeight * c.filterWidth * c.inChannels * c.outChannels);
      const outId = register(c.out, c.outSize);
      const [top, right, bottom, left] = c.pad;
      try {
        conv2d(
          xId,
          c.batch,
          c.inHeight,
          c.inWidth,
          filterId,
          c.filterHeight,
          c.filterWidth,
          top,
          right,
          bottom,
          left,
          0,
          c.dilationHeight,
          c.dilationWidth,
          1,
          1,
          c.inChannels,
          c.outChannels,
          outId,
        );
      } finally {
        wasm.tfjs.disposeData(xId);
        wasm.tfjs.disposeData(filterId);
        wasm.tfjs.disposeData(outId);
      }
    },
  };
  cache.set(backend as object, api);
  return api;
}
