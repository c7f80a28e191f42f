import type { GradConfig, KernelConfig } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { fusedBatchNormGradConfig } from './batch-norm-gradient.js';
import { contiguousReduceConfig } from './contiguous-reduce.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-conv2d-backprop.js';
import { fusedBatchNormConfig } from './fused-batch-norm.js';
import { untransposedMatMulConfig } from './mat-mul-transposed.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { meanGradConfig } from './mean-gradient.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';
import { zeroCopyIdentityConfig, zeroCopySameTypeCastConfig } from './zero-copy-identity.js';

/** What `registerWasmTrainingKernels` did, for the runtime report and the tests. */
export interface WasmKernelReport {
  /** Kernels the stock wasm backend lacks, now provided by us. */
  added: string[];
  /** Stock kernels we replaced because they are slow or wrong. */
  replaced: string[];
  /** Gradients replaced for every backend. */
  gradients: string[];
}

/** Kernels wasm 4.22 lacks that training the project's models and losses needs. */
const ADDED: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  unsortedSegmentSumConfig,
];

/** Stock kernels that are a scalar loop (Conv2DBackpropInput) or wrong (MaxPoolGrad). */
const REPLACED: readonly KernelConfig[] = [conv2dBackpropInputConfig, maxPoolGradConfig];

/** Gradients rewritten without full-size Tile / extra passes; same math for every backend. */
const GRADIENTS: readonly GradConfig[] = [fusedBatchNormGradConfig, meanGradConfig];

/**
 * Kept on globalThis, like TF.js's own registries: two copies of this module in one process
 * (source and built, say) must not wrap the stock kernels twice.
 */
const REPORT_KEY = Symbol.for('@ltlab/runtime/wasm-training-kernels');
const registry = globalThis as { [REPORT_KEY]?: WasmKernelReport };

function replace(config: KernelConfig): void {
  if (tf.getKernel(config.kernelName, 'wasm') !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel(config);
}

/**
 * Registers our wasm training kernels once per process; later calls return the first report.
 * Call it after `@tensorflow/tfjs-backend-wasm` is imported (its stock kernels must exist so the
 * matmul wrappers can delegate to them) and after `ensureGradientsRegistered()`, whose
 * FusedBatchNorm gradient ours overrides.
 */
export function registerWasmTrainingKernels(): WasmKernelReport {
  // Re-asserted on every call: a later import of register_all_gradients would restore tfjs-core's.
  for (const config of GRADIENTS) tf.registerGradient(config);
  const existing = registry[REPORT_KEY];
  if (existing !== undefined) return existing;
  const added: string[] = [];
  const replaced: string[] = [];
  for (const config of ADDED) {
    (tf.getKernel(config.kernelName, 'wasm') === undefined ? added : replaced).push(config.kernelName);
    replace(config);
  }
  for (const config of REPLACED) {
    replace(config);
    replaced.push(config.kernelName);
  }
  const wrappers: Array<[string, (stock: KernelConfig) => KernelConfig]> = [
    ['BatchMatMul', (stock) => untransposedMatMulConfig('BatchMatMul', stock)],
    ['_FusedMatMul', (stock) => untransposedMatMulConfig('_FusedMatMul', stock)],
    ['Sum', (stock) => contiguousReduceConfig('Sum', stock)],
    ['Mean', (stock) => contiguousReduceConfig('Mean', stock)],
    ['FusedBatchNorm', fusedBatchNormConfig],
    ['Identity', zeroCopyIdentityConfig],
    ['Cast', zeroCopySameTypeCastConfig],
  ];
  for (const [name, wrap] of wrappers) {
    const stock = tf.getKernel(name, 'wasm');
    if (stock === undefined) throw new Error(`wasm backend has no ${name} kernel to wrap`);
    replace(wrap(stock));
    replaced.push(name);
  }
  const report = { added, replaced, gradients: GRADIENTS.map((config) => config.kernelName) };
  registry[REPORT_KEY] = report;
  return report;
}
