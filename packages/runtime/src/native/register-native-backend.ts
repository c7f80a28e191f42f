import type { KernelConfig } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { oneDnnIsaName } from './cpu-isa.js';
import {
  batchNormTrainConfig,
  batchNormTrainGradConfig,
  batchNormTrainGradKernelConfig,
  fusedBatchNormConfig,
} from './kernels/batch-norm.js';
import {
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  conv2dConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  depthwiseConv2dConfig,
  fusedConv2dConfig,
} from './kernels/conv.js';
import {
  addNConfig,
  binaryConfigs,
  reluGradConfig,
  reluGradKernelConfig,
  unaryConfigs,
} from './kernels/elementwise.js';
import { batchMatMulConfig, fusedMatMulConfig } from './kernels/mat-mul.js';
import { movingAverageConfig, sgdUpdateConfig } from './kernels/optimizer.js';
import { avgPoolConfig, avgPoolGradConfig, maxPoolConfig, maxPoolGradConfig } from './kernels/pool.js';
import { reduceConfigs } from './kernels/reduce.js';
import { padConfig, sliceConfig } from './kernels/slice-pad.js';
import { loadNativeAddon } from './native-addon.js';
import { NATIVE_BACKEND, NativeBackend } from './native-backend.js';

/** The kernels the addon runs; everything else on `native` is the cpu backend's kernel. */
const NATIVE_KERNELS: readonly KernelConfig[] = [
  conv2dConfig,
  fusedConv2dConfig,
  conv2dBackpropInputConfig,
  conv2dBackpropFilterConfig,
  depthwiseConv2dConfig,
  depthwiseBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  batchNormTrainConfig,
  batchNormTrainGradKernelConfig,
  fusedBatchNormConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  avgPoolConfig,
  avgPoolGradConfig,
  ...binaryConfigs,
  ...unaryConfigs,
  addNConfig,
  reluGradKernelConfig,
  ...reduceConfigs,
  sliceConfig,
  padConfig,
  sgdUpdateConfig,
  movingAverageConfig,
];

export interface NativeReport {
  /** oneDNN's version, as the addon was built against. */
  onednn: string;
  /** The instruction set oneDNN's kernels use here (`avx2`, `avx512_core_bf16`, ...). */
  cpuIsa: string;
  threads: number;
  /** Kernels the addon runs (the rest are the cpu backend's). */
  kernels: string[];
}

/**
 * Registers the `native` backend once per process (the cpu backend's kernels, then ours over
 * them) and sets its thread count. Throws RUNTIME.BACKEND_UNAVAILABLE, with the command that
 * builds the addon, when the addon is missing.
 */
export function registerNativeBackend(threads: number): NativeReport {
  const addon = loadNativeAddon();
  addon.setThreads(threads);
  if (tf.findBackendFactory(NATIVE_BACKEND) === null) {
    tf.registerBackend(NATIVE_BACKEND, () => new NativeBackend(addon), 0);
    for (const config of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...config, backendName: NATIVE_BACKEND });
    for (const config of NATIVE_KERNELS) {
      if (tf.getKernel(config.kernelName, NATIVE_BACKEND) !== undefined)
        tf.unregisterKernel(config.kernelName, NATIVE_BACKEND);
      tf.registerKernel(config);
    }
  }
  // Re-asserted on every call, like the wasm gradients: a later import of tfjs-core's gradients
  // would restore the stock ones.
  tf.registerGradient(batchNormTrainGradConfig);
  tf.registerGradient(reluGradConfig);
  const { onednn, cpuIsa, threads: running } = addon.info();
  return {
    onednn,
    cpuIsa: oneDnnIsaName(cpuIsa),
    threads: running,
    kernels: NATIVE_KERNELS.map((k) => k.kernelName),
  };
}
