import { cpus } from 'node:os';
import { LtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendChoice, backendChoiceFromEnv } from './backend-choice.js';
import { missingSharedLibraries, TFJS_NODE_GPU_LIBRARIES } from './cuda-libraries.js';
import { gpuRenderNodes, gpusHidden, nvidiaGpuModels } from './gpu-devices.js';
import { NATIVE_INSTALL_HINT } from './native/native-addon.js';
import { defaultNativeThreads, nativeThreadsFromEnv } from './native/native-threads.js';
import { type NativeReport, registerNativeBackend } from './native/register-native-backend.js';
import { ensureGradientsRegistered } from './register-gradients.js';
import { useWasmThreads, wasmThreadsFromEnv } from './threaded-wasm.js';
import { registerWasmTrainingKernels, type WasmKernelReport } from './wasm-kernels/register-wasm-training-kernels.js';
import { registerWebgpuBackend, type WebgpuReport } from './webgpu/register-webgpu-backend.js';
import { WEBGPU_INSTALL_HINT } from './webgpu/webgpu-adapter.js';
import { webgpuAdapterFromEnv, webgpuAllowSoftwareFromEnv } from './webgpu/webgpu-options.js';

export interface RuntimeInfo {
  /** The TF.js backend now active: `tensorflow`, `webgpu`, `native`, `wasm` or `cpu`. */
  backend: string;
  requested: BackendChoice;
  /** Why this backend was chosen, and what was tried before it. */
  reason: string;
  /** What runs the math: GPU model, CPU model and core count, wasm SIMD/threads. */
  device: string;
  /** How to get a faster backend than the one chosen (empty when none is faster). */
  hints: string[];
  /** On wasm: the training kernels the runtime added or replaced. */
  wasmKernels?: WasmKernelReport;
  /** On native: oneDNN's version, the thread count and the kernels the addon runs. */
  native?: NativeReport;
  /** On webgpu: the adapter (GPU model, driver, whether it is a software one). */
  webgpu?: WebgpuReport;
}

export interface InitRuntimeOptions {
  /** Defaults to `LTLAB_BACKEND`, then `auto`. */
  backend?: BackendChoice;
  /**
   * XNNPACK threads when the backend is wasm. Defaults to `LTLAB_WASM_THREADS`, then 1 (the
   * worker's unit of parallelism is one single-threaded process per core). Fixed per process.
   */
  wasmThreads?: number;
  /**
   * oneDNN/OpenMP threads when the backend is native. Defaults to `LTLAB_NATIVE_THREADS`, then the
   * cores this process may run on (1 in a pinned worker slot).
   */
  nativeThreads?: number;
  /**
   * The GPU a webgpu backend trains on: its index among Dawn's adapters. Defaults to
   * `LTLAB_WEBGPU_ADAPTER`, then 0 (a worker's GPU slot sets it to the slot's GPU).
   */
  webgpuAdapter?: number;
  /**
   * Accept a software WebGPU adapter (Mesa's lavapipe): for correctness tests only. Defaults to
   * `LTLAB_WEBGPU_ALLOW_SOFTWARE`, then false. `auto` never picks one.
   */
  allowSoftwareAdapter?: boolean;
}

type Candidate = 'tensorflow-gpu' | 'webgpu' | 'tensorflow' | 'native' | 'wasm' | 'cpu';

/** GPU backends first, then the CPU ones from fastest. */
const AUTO_ORDER: readonly Candidate[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'native', 'wasm', 'cpu'];

/** Package names in variables so no bundler or type checker treats them as dependencies. */
const NATIVE_PACKAGES = { 'tensorflow-gpu': '@tensorflow/tfjs-node-gpu', tensorflow: '@tensorflow/tfjs-node' } as const;

/**
 * Activates a TF.js backend. `auto` tries tfjs-node-gpu (only when a GPU and the CUDA 11 libraries
 * it needs are there), then webgpu (only when a GPU device exists, and never on a software
 * adapter), then tfjs-node, then native (oneDNN, when its addon was built), then wasm, then cpu.
 * tfjs-node(-gpu) and Dawn's `webgpu` are loaded by dynamic import, so none is a required
 * dependency. Selecting wasm registers the runtime's training kernels (idempotent).
 */
export async function initRuntime(options: InitRuntimeOptions = {}): Promise<RuntimeInfo> {
  const requested = options.backend ?? backendChoiceFromEnv();
  const order: readonly Candidate[] =
    requested === 'auto' ? AUTO_ORDER : requested === 'tensorflow' ? ['tensorflow-gpu', 'tensorflow'] : [requested];
  await ensureGradientsRegistered();
  const failures: string[] = [];
  for (const candidate of order) {
    try {
      const info = await activate(candidate, requested, options);
      const tried = failures.length > 0 ? `; skipped ${failures.join('; ')}` : '';
      return { ...info, reason: `${requested === 'auto' ? 'auto' : 'requested'}: ${candidate}${tried}` };
    } catch (error) {
      // A bad request (an invalid or conflicting thread count) is the caller's to fix, not a reason to fall back.
      if (error instanceof LtlabError && error.code.startsWith('CONFIG.')) throw error;
      failures.push(`${candidate} (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  throw new LtlabError('RUNTIME.BACKEND_UNAVAILABLE', `No TF.js backend could be loaded: ${failures.join('; ')}`, {
    fix:
      requested === 'tensorflow'
        ? 'Install @tensorflow/tfjs-node (CPU) or @tensorflow/tfjs-node-gpu (CUDA) in this environment, or set LTLAB_BACKEND=auto.'
        : requested === 'native'
          ? `Build the native backend (${NATIVE_INSTALL_HINT}), or set LTLAB_BACKEND=auto.`
          : requested === 'webgpu'
            ? `Install ${WEBGPU_INSTALL_HINT}; \`ltlab doctor\` says what is missing. Or set LTLAB_BACKEND=auto.`
            : 'Set LTLAB_BACKEND=cpu, or install @tensorflow/tfjs-node(-gpu) on this machine.',
  });
}

async function activate(
  candidate: Candidate,
  requested: BackendChoice,
  options: InitRuntimeOptions,
): Promise<Omit<RuntimeInfo, 'reason'>> {
  if (candidate === 'tensorflow-gpu' || candidate === 'tensorflow') {
    if (candidate === 'tensorflow-gpu') {
      if (visibleGpus().length === 0) throw new Error('no GPU visible');
      const missing = missingSharedLibraries(TFJS_NODE_GPU_LIBRARIES);
      // libtensorflow 2.9 would load and quietly compute on the CPU.
      if (missing.length > 0)
        throw new Error(
          `the CUDA 11 libraries tfjs-node-gpu needs are absent (${missing.join(', ')}), so it would run on the CPU`,
        );
    }
    await importNative(NATIVE_PACKAGES[candidate]);
    await setBackend('tensorflow');
    const device = candidate === 'tensorflow-gpu' ? `GPU: ${visibleGpus().join(', ')}` : cpuDescription();
    const hints = candidate === 'tensorflow' && visibleGpus().length > 0 ? [GPU_HINT] : [];
    return { backend: 'tensorflow', requested, device, hints };
  }
  if (candidate === 'webgpu') {
    if (requested === 'auto' && !gpuDevicePresent()) throw new Error('no GPU device');
    const webgpu = await registerWebgpuBackend({
      index: options.webgpuAdapter ?? webgpuAdapterFromEnv(),
      allowSoftware: requested !== 'auto' && (options.allowSoftwareAdapter ?? webgpuAllowSoftwareFromEnv()),
    });
    await setBackend('webgpu');
    const { adapter } = webgpu;
    const kind = adapter.software ? 'software adapter' : 'GPU';
    return {
      backend: 'webgpu',
      requested,
      device: `${kind}: ${adapter.name} (${adapter.vendor}${adapter.architecture ? ` ${adapter.architecture}` : ''}; ${adapter.description}); WebGPU via Dawn on Vulkan, adapter ${adapter.index}`,
      hints: [],
      webgpu,
    };
  }
  if (candidate === 'native') {
    const native = registerNativeBackend(options.nativeThreads ?? nativeThreadsFromEnv() ?? defaultNativeThreads());
    await setBackend('native');
    return {
      backend: 'native',
      requested,
      device: `${cpuDescription()}; oneDNN ${native.onednn} ${native.cpuIsa}, ${native.threads === 1 ? '1 thread' : `${native.threads} threads`} per process`,
      hints: visibleGpus().length > 0 ? [GPU_HINT] : [],
      native,
    };
  }
  if (candidate === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    const wasmKernels = registerWasmTrainingKernels();
    const threads = await useWasmThreads(options.wasmThreads ?? wasmThreadsFromEnv());
    await setBackend('wasm');
    const simd = threads > 1 || (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    return {
      backend: 'wasm',
      requested,
      device: `${cpuDescription()}; wasm ${simd ? 'SIMD128' : 'scalar'}, ${threads === 1 ? '1 thread' : `${threads} threads`} per process`,
      hints: nativeHints(),
      wasmKernels,
    };
  }
  await import('@tensorflow/tfjs-backend-cpu');
  await setBackend('cpu');
  return {
    backend: 'cpu',
    requested,
    device: `${cpuDescription()}; pure JavaScript`,
    hints: [
      'wasm trains 35x faster than cpu on an MLP, and ResNets in seconds instead of minutes: LTLAB_BACKEND=wasm.',
      ...nativeHints(),
    ],
  };
}

const GPU_HINT =
  'A GPU is visible: LTLAB_BACKEND=webgpu trains on it through Vulkan (`ltlab doctor` says what is missing), or @tensorflow/tfjs-node-gpu with the CUDA 11 libraries its libtensorflow was built for.';

function nativeHints(): string[] {
  return visibleGpus().length > 0
    ? [GPU_HINT]
    : [
        `The native backend (oneDNN, PyTorch's CPU convolution library) trains several times faster than wasm: ${NATIVE_INSTALL_HINT}`,
      ];
}

async function importNative(name: string): Promise<void> {
  try {
    await import(name);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new Error(`${name} is not installed`);
    throw new Error(`${name} failed to load: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function setBackend(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

/** An NVIDIA GPU, or any GPU with a render node (AMD, Intel): worth asking Dawn for an adapter. */
function gpuDevicePresent(): boolean {
  // A CPU worker slot hides GPUs this way; it must not take one through Vulkan either.
  if (gpusHidden()) return false;
  return nvidiaGpuModels().length > 0 || gpuRenderNodes().length > 0;
}

/** NVIDIA GPUs this process may use (none when CUDA_VISIBLE_DEVICES hides them). */
function visibleGpus(): string[] {
  return gpusHidden() ? [] : nvidiaGpuModels();
}

function cpuDescription(): string {
  const all = cpus();
  return `CPU: ${all[0]?.model.trim() ?? 'unknown'} x${all.length}`;
}
