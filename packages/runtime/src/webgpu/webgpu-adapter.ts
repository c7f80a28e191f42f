import { LtlabError } from '@ltlab/core';

/** The npm package of Dawn's node binding (prebuilt; an optional dependency of this package). */
export const WEBGPU_PACKAGE = 'webgpu';
export const WEBGPU_INSTALL_HINT =
  'npm install webgpu@0.6.2 (Dawn, prebuilt), with a Vulkan driver: the NVIDIA driver on GPU nodes (in containers NVIDIA_DRIVER_CAPABILITIES must include graphics), or Mesa 25 lavapipe for tests (apt-get install -t bookworm-backports mesa-vulkan-drivers)';

/** The parts of a WebGPU adapter the runtime reads (the full type is @webgpu/types' GPUAdapter). */
export interface DawnAdapter {
  readonly info: {
    readonly vendor: string;
    readonly architecture: string;
    readonly device: string;
    readonly description: string;
    readonly isFallbackAdapter?: boolean;
  };
  readonly limits: { readonly maxBufferSize: number };
}

/** What `create(flags)` of the `webgpu` package returns: the `navigator.gpu` of a browser. */
export interface DawnGpu {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<DawnAdapter | null>;
}
interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

/** One adapter as the heartbeat, `ltlab doctor` and the runtime report show it. */
export interface WebgpuAdapterSummary {
  /** Index among Dawn's adapters (`LTLAB_WEBGPU_ADAPTER`). */
  index: number;
  /** The adapter's name as Dawn lists it, e.g. `NVIDIA H100 80GB HBM3`. */
  name: string;
  vendor: string;
  architecture: string;
  /** On Vulkan: the driver's description, e.g. its version. */
  description: string;
  /** A CPU rasteriser (lavapipe, SwiftShader): correct, but far slower than the CPU backends. */
  software: boolean;
  /** The largest single buffer, which bounds the largest tensor. */
  maxBufferBytes: number;
}

export interface OpenedAdapter {
  adapter: DawnAdapter;
  summary: WebgpuAdapterSummary;
  /** The Dawn instance the adapter came from; `navigator.gpu` is set to it. */
  gpu: DawnGpu;
}

let dawn: DawnModule | undefined;

/**
 * Loads Dawn's binding and puts its WebGPU constants (GPUBufferUsage, ...) on `globalThis`, as a
 * browser has them; the TF.js backend reads them. Throws with the install hint when absent.
 */
export async function loadDawn(): Promise<DawnModule> {
  if (dawn !== undefined) return dawn;
  let module: DawnModule;
  try {
    module = (await import(WEBGPU_PACKAGE)) as DawnModule;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new Error(`the ${WEBGPU_PACKAGE} package is not installed: ${WEBGPU_INSTALL_HINT}`);
    throw new Error(`the ${WEBGPU_PACKAGE} package failed to load: ${messageOf(error)}`);
  }
  for (const [name, value] of Object.entries(module.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  dawn = module;
  return module;
}

/**
 * The names of the adapters Dawn finds on Vulkan, in its order. Dawn's node binding has no list
 * call; asked for an adapter name that matches none, it fails with the list, which is parsed here.
 */
export async function listWebgpuAdapterNames(): Promise<string[]> {
  const { create } = await loadDawn();
  try {
    const adapter = await create(['backend=vulkan', 'adapter=\u0001ltlab-list-adapters']).requestAdapter();
    // A binding that ignores the flag returns its default adapter: report that one.
    return adapter === null ? [] : [describeName(adapter)];
  } catch (error) {
    return [...messageOf(error).matchAll(/backend: 'vulkan', name: '([^']*)'/g)].map((match) => match[1] as string);
  }
}

/**
 * Opens the adapter with `index` in Dawn's list (the first by default). Dawn's binding selects
 * adapters by name only, so a second adapter of the same name (two identical GPUs) cannot be
 * reached from one process: that case fails with the fix (one worker per GPU, each shown one GPU)
 * instead of silently training every slot on the first GPU. Software adapters are refused unless
 * `allowSoftware`.
 */
export async function openWebgpuAdapter(options: {
  index?: number | undefined;
  allowSoftware: boolean;
}): Promise<OpenedAdapter> {
  const { create } = await loadDawn();
  const names = await listWebgpuAdapterNames();
  if (names.length === 0)
    throw new Error(
      `no Vulkan adapter found (no Vulkan driver, or the Vulkan loader libvulkan.so.1 is missing): ${WEBGPU_INSTALL_HINT}`,
    );
  const index = options.index ?? 0;
  const name = names[index];
  if (name === undefined)
    throw new LtlabError(
      'CONFIG.INVALID',
      `LTLAB_WEBGPU_ADAPTER is ${index}, but Dawn lists ${names.length} adapter(s): ${names.join('; ')}.`,
      { fix: `Use an index from 0 to ${names.length - 1} (\`ltlab doctor\` lists them), or run fewer GPU slots.` },
    );
  if (index > 0 && names.indexOf(name) !== index)
    throw new LtlabError(
      'CONFIG.UNSUPPORTED',
      `WebGPU adapter ${index} has the same name as adapter ${names.indexOf(name)} ('${name}'); Dawn's node binding can only pick adapters by name.`,
      {
        fix: 'Run one worker per GPU, each shown only its GPU (docker: NVIDIA_VISIBLE_DEVICES=<index>, with --gpus 0), as docs/deploy.md describes.',
      },
    );
  // By name even for the first: Dawn's default adapter is its own preference (discrete before
  // software), which need not be the first it lists, and the report must describe the one opened.
  const flags = ['backend=vulkan', `adapter=${name}`];
  const gpu = create(flags);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new Error(`Dawn returned no adapter for '${name}'`);
  const summary = summarize(adapter, index, name);
  if (summary.software && !options.allowSoftware)
    throw new Error(
      `only a software adapter was found (${summary.description || name}): it is for correctness tests, far slower than the native CPU backend; set LTLAB_WEBGPU_ALLOW_SOFTWARE=1 to use it anyway`,
    );
  return { adapter, summary, gpu };
}

function summarize(adapter: DawnAdapter, index: number, name: string): WebgpuAdapterSummary {
  const info = adapter.info;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  const fallback = info.isFallbackAdapter === true;
  return {
    index,
    name,
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description,
    software: fallback || info.architecture === 'software' || /llvmpipe|lavapipe|swiftshader|softpipe/.test(text),
    maxBufferBytes: adapter.limits.maxBufferSize,
  };
}

function describeName(adapter: DawnAdapter): string {
  const info = adapter.info;
  return info.description || info.device || info.vendor || 'unknown adapter';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
