import * as tf from '@tensorflow/tfjs-core';
import { registerWebgpuOptimizerUpdates } from './kernels/optimizer-updates.js';
import { registerWebgpuPadAnyRank } from './kernels/pad-any-rank.js';
import { type DawnGpu, openWebgpuAdapter, type WebgpuAdapterSummary } from './webgpu-adapter.js';

export const WEBGPU_BACKEND = 'webgpu';

/** What the runtime reports of a webgpu backend: the adapter it trains on. */
export interface WebgpuReport {
  adapter: WebgpuAdapterSummary;
}

/** The device the TF.js backend asks for: the adapter's own limits, so large tensors fit. */
interface DawnDeviceAdapter {
  readonly features: ReadonlySet<string>;
  readonly limits: Record<string, number>;
  requestDevice(descriptor: { requiredFeatures: string[]; requiredLimits: Record<string, number> }): Promise<unknown>;
}

const LIMITS_TFJS_NEEDS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
] as const;

let kernelsPatched = false;

/**
 * Registers TF.js's WebGPU backend on the adapter `openWebgpuAdapter` picks. The package's own
 * factory asks `navigator.gpu` for the default adapter; the runtime registers its own factory on
 * the chosen one instead (same device features and limits), which is why the package is imported
 * before `navigator.gpu` exists: its kernels register, its factory does not. The backend's
 * constructor then checks `navigator.gpu`, so that is set to the same Dawn instance.
 */
export async function registerWebgpuBackend(options: {
  index?: number | undefined;
  allowSoftware: boolean;
}): Promise<WebgpuReport> {
  const opened = await openWebgpuAdapter(options);
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  if (!kernelsPatched) {
    registerWebgpuPadAnyRank(WEBGPU_BACKEND);
    registerWebgpuOptimizerUpdates(WEBGPU_BACKEND);
    kernelsPatched = true;
  }
  installNavigatorGpu(opened.gpu);
  if (tf.findBackendFactory(WEBGPU_BACKEND) !== null) tf.removeBackend(WEBGPU_BACKEND);
  const adapter = opened.adapter as unknown as DawnDeviceAdapter;
  tf.registerBackend(WEBGPU_BACKEND, async () => {
    const requiredLimits: Record<string, number> = {};
    for (const name of LIMITS_TFJS_NEEDS) {
      const value = adapter.limits[name];
      if (value !== undefined) requiredLimits[name] = value;
    }
    const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
    const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
    return new WebGPUBackend(device as ConstructorParameters<typeof WebGPUBackend>[0], opened.adapter.info as never);
  });
  return { adapter: opened.summary };
}

/** `navigator.gpu` as a browser has it; Node 21+ has a `navigator` without `gpu`, Node 20 none. */
function installNavigatorGpu(gpu: DawnGpu): void {
  const holder = globalThis as { navigator?: object };
  if (holder.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else if (!('gpu' in holder.navigator)) {
    Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true });
  }
}
