import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

type StockKernel = (args: { inputs: Record<string, TensorInfo>; attrs: object; backend: unknown }) => TensorInfo;

/**
 * The stock wasm Identity copies the whole buffer, and the engine clones every tensor it saves
 * for the backward pass (about 280 copies per ResNet-32 step). Tensors are immutable, so the
 * output can share the input's buffer with one more reference, as the cpu backend does.
 */
function shareBuffer(x: TensorInfo, backend: unknown): TensorInfo {
  (backend as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export function zeroCopyIdentityConfig(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as StockKernel;
  const kernelFunc = (args: { inputs: Record<string, TensorInfo>; attrs: object; backend: unknown }): TensorInfo => {
    const x = args.inputs.x as TensorInfo;
    return x.dtype === 'string' ? stockFunc(args) : shareBuffer(x, args.backend);
  };
  return { kernelName: 'Identity', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** Cast to the dtype a tensor already has (the relu gradient does it) is an Identity. */
export function zeroCopySameTypeCastConfig(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as StockKernel;
  const kernelFunc = (args: {
    inputs: Record<string, TensorInfo>;
    attrs: { dtype: string };
    backend: unknown;
  }): TensorInfo => {
    const x = args.inputs.x as TensorInfo;
    return x.dtype === args.attrs.dtype && x.dtype !== 'string' ? shareBuffer(x, args.backend) : stockFunc(args);
  };
  return { kernelName: 'Cast', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
