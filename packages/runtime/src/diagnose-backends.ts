import { readFileSync } from 'node:fs';
import { isLtlabError } from '@ltlab/core';
import { z } from 'zod';
import { type BackendChoice, backendChoiceFromEnv } from './backend-choice.js';
import { type BackendProbes, machineProbes } from './backend-probes.js';
import { missingSharedLibraries, TFJS_NODE_GPU_LIBRARIES } from './cuda-libraries.js';
import { NATIVE_INSTALL_HINT } from './native/native-addon.js';
import { nativeThreadsFromEnv } from './native/native-threads.js';
import { wasmThreadsFromEnv } from './threaded-wasm.js';
import { WEBGPU_PACKAGE } from './webgpu/webgpu-adapter.js';
import { webgpuAdapterFromEnv, webgpuAllowSoftwareFromEnv } from './webgpu/webgpu-options.js';

/** The candidates of `initRuntime`, in the order `auto` tries them. */
export const DIAGNOSED_BACKENDS = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'native', 'wasm', 'cpu'] as const;
const backendNameSchema = z.enum(DIAGNOSED_BACKENDS);
export type DiagnosedBackend = z.infer<typeof backendNameSchema>;

export const webgpuAdapterDiagnosisSchema = z.object({
  /** Index among Dawn's adapters (`LTLAB_WEBGPU_ADAPTER`). */
  index: z.number().int(),
  name: z.string(),
  /** `software`: a CPU rasteriser (lavapipe, SwiftShader), for correctness tests only. */
  kind: z.enum(['hardware', 'software', 'unknown']),
  vendor: z.string(),
  architecture: z.string(),
  description: z.string(),
  maxBufferBytes: z.number().nullable(),
  /** Why the runtime cannot open this adapter (null when it can), and what to do about it. */
  problem: z.string().nullable(),
  fix: z.string().nullable(),
});
export type WebgpuAdapterDiagnosis = z.infer<typeof webgpuAdapterDiagnosisSchema>;

export const backendDiagnosisSchema = z.object({
  backend: backendNameSchema,
  /** Whether `LTLAB_BACKEND=<this>` (tensorflow for both TF candidates) would load it here, with this env. */
  available: z.boolean(),
  /** What was found, or why it does not load. */
  detail: z.string(),
  /** Commands or settings that make it load; empty when it does. */
  fix: z.array(z.string()),
  /** webgpu only: every adapter Dawn lists. */
  adapters: z.array(webgpuAdapterDiagnosisSchema).optional(),
});
export type BackendDiagnosis = z.infer<typeof backendDiagnosisSchema>;

export const backendReportSchema = z.object({
  host: z.object({ cpu: z.string(), cores: z.number().int(), node: z.string(), platform: z.string() }),
  backends: z.array(backendDiagnosisSchema),
  /** What `initRuntime({ backend: 'auto' })` would activate (null: none loads), with its skip reasons. */
  auto: z.object({ backend: backendNameSchema.nullable(), reason: z.string() }),
  /** `LTLAB_BACKEND` as set here and what it would activate (null: initRuntime would fail). */
  requested: z.object({ value: z.string(), backend: backendNameSchema.nullable(), detail: z.string() }),
  /** The variables that change the choice, with their values here. */
  env: z.array(
    z.object({ name: z.string(), value: z.string().nullable(), effect: z.string(), problem: z.string().nullable() }),
  ),
});
export type BackendReport = z.infer<typeof backendReportSchema>;

const TFJS_CORE = '@tensorflow/tfjs-core';
const TFJS_NODE = '@tensorflow/tfjs-node';
const TFJS_NODE_GPU = '@tensorflow/tfjs-node-gpu';

/**
 * Which TF.js backends load on this machine, why the others do not and how to get them, and what
 * `auto` picks. Side-effect-light, so it belongs in a child process of the CLI: it loads the
 * native addon and asks Dawn for its adapters, but activates no TF.js backend; tfjs-node(-gpu)
 * are required in a grandchild, since each loads its own libtensorflow.
 */
export async function diagnoseBackends(overrides: Partial<BackendProbes> = {}): Promise<BackendReport> {
  const probes: BackendProbes = { ...machineProbes(), ...overrides };
  const { env } = probes;
  const settings = readSettings(env);
  const hidden = env.CUDA_VISIBLE_DEVICES === '' || env.CUDA_VISIBLE_DEVICES === '-1';
  const nvidia = hidden ? [] : probes.nvidiaGpus();
  const gpuDevice = !hidden && (nvidia.length > 0 || probes.renderNodes().length > 0);
  let cache: string | undefined;
  const linkerCache = () => {
    cache ??= probes.linkerCache();
    return cache;
  };
  const coreVersion = probes.packageVersion(TFJS_CORE) ?? '4.22.0';
  const context: Context = { probes, settings, hidden, nvidia, linkerCache, coreVersion };

  const tensorflowGpu = await diagnoseTensorflowGpu(context);
  const webgpu = await diagnoseWebgpu(context);
  const probed = [
    tensorflowGpu,
    webgpu.diagnosis,
    await diagnoseTensorflow(context),
    diagnoseNative(context),
    diagnoseWasm(context),
    diagnoseCpu(context),
  ];
  const backends = probed.map((diagnosis) => {
    const bad = badSetting(settings, SETTINGS_READ[diagnosis.backend] ?? []);
    if (bad === undefined) return diagnosis;
    return {
      ...diagnosis,
      available: false,
      detail: `${bad.name} is invalid, so initRuntime stops here with CONFIG.INVALID instead of falling back: ${bad.message}`,
      fix: [bad.fix ?? `unset ${bad.name}`],
    };
  });

  // auto takes webgpu only on a hardware adapter of a machine with a GPU device (init-runtime.ts).
  const autoTakes = (d: BackendDiagnosis): boolean =>
    d.backend === 'webgpu' ? d.available && gpuDevice && webgpu.hardware : d.available;
  const skipped: string[] = [];
  let pick: DiagnosedBackend | null = null;
  let stop = '';
  for (const diagnosis of probed) {
    // auto reads only the adapter index, and only once a GPU device is there.
    const read =
      diagnosis.backend === 'webgpu'
        ? gpuDevice
          ? ['LTLAB_WEBGPU_ADAPTER']
          : []
        : (SETTINGS_READ[diagnosis.backend] ?? []);
    const bad = badSetting(settings, read);
    if (bad !== undefined) {
      stop = `; stops at ${diagnosis.backend}: ${bad.name} is invalid (CONFIG.INVALID)`;
      break;
    }
    if (autoTakes(diagnosis)) {
      pick = diagnosis.backend;
      break;
    }
    const why =
      diagnosis.backend === 'webgpu' && !gpuDevice
        ? 'no GPU device'
        : diagnosis.available
          ? 'a software adapter, which auto never picks'
          : // The first problem: the one initRuntime meets.
            (diagnosis.detail.split('; ')[0] ?? diagnosis.detail);
    skipped.push(`${diagnosis.backend} (${why})`);
  }
  const auto = {
    backend: pick,
    reason: `auto: ${pick ?? 'none loads'}${skipped.length > 0 ? `; skipped ${skipped.join('; ')}` : ''}${stop}`,
  };
  const host = probes.cpu();
  return {
    host: {
      cpu: host.model,
      cores: host.cores,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    backends,
    auto,
    requested: resolveRequested(settings, backends, auto.backend),
    env: settings.entries,
  };
}

interface Context {
  probes: BackendProbes;
  settings: Settings;
  /** CUDA_VISIBLE_DEVICES hides every GPU. */
  hidden: boolean;
  /** Visible NVIDIA GPU models. */
  nvidia: string[];
  linkerCache(): string;
  coreVersion: string;
}

async function diagnoseTensorflowGpu(context: Context): Promise<BackendDiagnosis> {
  const { probes, nvidia, hidden } = context;
  const problems: string[] = [];
  const fix: string[] = [];
  // In initRuntime's order, so the first problem is the one auto reports.
  if (hidden) {
    problems.push(`CUDA_VISIBLE_DEVICES=${JSON.stringify(probes.env.CUDA_VISIBLE_DEVICES)} hides every GPU`);
    fix.push('unset CUDA_VISIBLE_DEVICES (a CPU worker slot sets it on purpose)');
  } else if (nvidia.length === 0) {
    problems.push('no NVIDIA GPU visible (/proc/driver/nvidia/gpus is absent)');
    fix.push(
      'run on a node with an NVIDIA GPU and its driver (`nvidia-smi` lists it); in docker: `docker run --gpus all` with the NVIDIA Container Toolkit',
    );
  }
  const missing = missingSharedLibraries(TFJS_NODE_GPU_LIBRARIES, probes.env, context.linkerCache);
  if (missing.length > 0) {
    const other = [...context.linkerCache().matchAll(/^\s*(libcudart\.so\.\d+)\s/gm)]
      .map((m) => m[1] as string)
      .filter((name) => !name.startsWith('libcudart.so.11'));
    const found =
      other.length > 0 ? ` (found ${[...new Set(other)].join(', ')}, which libtensorflow 2.9 cannot use)` : '';
    // libtensorflow 2.9 loads without them and computes on the CPU without a word.
    problems.push(`the CUDA 11 libraries are missing: ${missing.join(', ')}${found}, so it would run on the CPU`);
    fix.push(
      "CUDA 11.2 + cuDNN 8.1 (TensorFlow 2.9's), from NVIDIA's CUDA apt repository: apt-get install cuda-libraries-11-2 libcudnn8=8.1.1.33-1+cuda11.2; or LD_LIBRARY_PATH=<dir with libcudart.so.11.0 and libcudnn.so.8>; docker/worker-gpu.Dockerfile carries them",
    );
  }
  const version = probes.packageVersion(TFJS_NODE_GPU);
  if (version === null) {
    problems.push(`${TFJS_NODE_GPU} is not installed`);
    fix.push(npmInstall(TFJS_NODE_GPU, context.coreVersion));
  }
  if (problems.length === 0) {
    const error = await probes.loadsInChild(TFJS_NODE_GPU);
    if (error !== null) {
      problems.push(`${TFJS_NODE_GPU} ${version} does not load: ${error}`);
      fix.push(`(cd node_modules/${TFJS_NODE_GPU} && npm run install)  # fetches libtensorflow and its addon again`);
    }
  }
  const detail =
    problems.length > 0
      ? problems.join('; ')
      : `${TFJS_NODE_GPU} ${version} on ${nvidia.join(', ')}, CUDA 11 libraries found`;
  return { backend: 'tensorflow-gpu', available: problems.length === 0, detail, fix };
}

async function diagnoseWebgpu(context: Context): Promise<{ diagnosis: BackendDiagnosis; hardware: boolean }> {
  const { probes, settings, nvidia } = context;
  const unavailable = (detail: string, fix: string[], adapters?: WebgpuAdapterDiagnosis[]) => ({
    diagnosis: { backend: 'webgpu' as const, available: false, detail, fix, ...(adapters ? { adapters } : {}) },
    hardware: false,
  });
  const version = probes.packageVersion(WEBGPU_PACKAGE);
  const vulkanMissing = missingSharedLibraries(['libvulkan.so.1'], probes.env, context.linkerCache).length > 0;
  const problems: string[] = [];
  const fix: string[] = [];
  if (version === null) {
    problems.push(`the ${WEBGPU_PACKAGE} package (Dawn) is not installed`);
    fix.push(
      `npm install --no-save ${WEBGPU_PACKAGE}@${webgpuVersionWanted()}  # an optional dependency npm ci skips where it cannot install; its linux-x64 binary needs glibc >= 2.34`,
    );
  }
  if (vulkanMissing) {
    problems.push('the Vulkan loader libvulkan.so.1 is missing');
    fix.push('apt-get install libvulkan1');
  }
  if (problems.length > 0) return unavailable(problems.join('; '), fix);

  let adapters: WebgpuAdapterDiagnosis[];
  try {
    adapters = await probes.webgpuAdapters();
  } catch (error) {
    return unavailable(`${WEBGPU_PACKAGE} ${version} does not load: ${explain(error)}`, [
      `npm rebuild ${WEBGPU_PACKAGE}  # its linux-x64 binary needs glibc >= 2.34 and GLIBCXX_3.4.30 (Debian bookworm, Ubuntu 22.04)`,
    ]);
  }
  const gpuDriverFix =
    nvidia.length > 0
      ? "the NVIDIA driver's Vulkan ICD: in docker NVIDIA_DRIVER_CAPABILITIES must include graphics (compute,utility,graphics) and /etc/vulkan/icd.d/nvidia_icd.json must exist; `vulkaninfo --summary` shows what the loader finds"
      : 'run on a node with a GPU and its Vulkan driver (NVIDIA driver, or Mesa for AMD/Intel)';
  const softwareFix = 'for tests only, a software adapter: apt-get install -t bookworm-backports mesa-vulkan-drivers';
  if (adapters.length === 0)
    return unavailable(`Dawn (${WEBGPU_PACKAGE} ${version}) finds no Vulkan adapter`, [gpuDriverFix, softwareFix], []);

  const index = settings.webgpuAdapter ?? 0;
  const selected = adapters.find((adapter) => adapter.index === index);
  const hardware = adapters.filter((adapter) => adapter.kind === 'hardware');
  if (selected === undefined)
    return unavailable(
      `LTLAB_WEBGPU_ADAPTER is ${index}, but Dawn lists ${adapters.length} adapter(s)`,
      [`LTLAB_WEBGPU_ADAPTER=<0 to ${adapters.length - 1}>`],
      adapters,
    );
  if (selected.problem !== null)
    return unavailable(
      `adapter ${index} (${selected.name}) cannot be opened: ${selected.problem}`,
      [selected.fix ?? 'vulkaninfo --summary  # shows what the Vulkan loader finds, and why'],
      adapters,
    );
  if (selected.kind === 'software') {
    const other = hardware.length > 0 ? `; hardware adapter(s): ${hardware.map((a) => a.index).join(', ')}` : '';
    if (settings.allowSoftware)
      return {
        diagnosis: {
          backend: 'webgpu',
          available: true,
          detail: `software adapter ${index} (${selected.description || selected.name}), allowed by LTLAB_WEBGPU_ALLOW_SOFTWARE=1: for correctness tests, far slower than native; auto never picks it${other}`,
          fix: [],
          adapters,
        },
        hardware: false,
      };
    return unavailable(
      `${hardware.length === 0 ? 'only a software adapter' : `adapter ${index} is a software one`} (${selected.description || selected.name}): webgpu works on it only with LTLAB_BACKEND=webgpu LTLAB_WEBGPU_ALLOW_SOFTWARE=1, for tests${other}`,
      [
        hardware.length > 0 ? `LTLAB_WEBGPU_ADAPTER=${hardware[0]?.index}` : gpuDriverFix,
        'LTLAB_BACKEND=webgpu LTLAB_WEBGPU_ALLOW_SOFTWARE=1  # tests only: correct, but far slower than native',
      ],
      adapters,
    );
  }
  return {
    diagnosis: {
      backend: 'webgpu',
      available: true,
      detail: `adapter ${index}: ${selected.name} (${selected.vendor}${selected.architecture ? ` ${selected.architecture}` : ''}), on Vulkan via Dawn ${version}`,
      fix: [],
      adapters,
    },
    hardware: true,
  };
}

async function diagnoseTensorflow(context: Context): Promise<BackendDiagnosis> {
  const { probes } = context;
  const version = probes.packageVersion(TFJS_NODE);
  if (version === null)
    return {
      backend: 'tensorflow',
      available: false,
      detail: `${TFJS_NODE} is not installed`,
      fix: [npmInstall(TFJS_NODE, context.coreVersion)],
    };
  const error = await probes.loadsInChild(TFJS_NODE);
  if (error !== null)
    return {
      backend: 'tensorflow',
      available: false,
      detail: `${TFJS_NODE} ${version} does not load: ${error}`,
      fix: [`(cd node_modules/${TFJS_NODE} && npm run install)  # fetches libtensorflow and its addon again`],
    };
  return {
    backend: 'tensorflow',
    available: true,
    detail: `${TFJS_NODE} ${version} (libtensorflow on the CPU)`,
    fix: [],
  };
}

function diagnoseNative(context: Context): BackendDiagnosis {
  const { probes, settings } = context;
  try {
    const { onednn, cpuIsa } = probes.nativeAddon();
    const threads = settings.nativeThreads ?? probes.cpu().cores;
    return {
      backend: 'native',
      available: true,
      detail: `oneDNN ${onednn} addon built, ${cpuIsa} kernels (ONEDNN_MAX_CPU_ISA caps them); ${plural(threads, 'thread')} per process (LTLAB_NATIVE_THREADS${settings.nativeThreads === undefined ? ', default the cores it may use' : ''})`,
      fix: [],
    };
  } catch (error) {
    const fix = isLtlabError(error) && error.fix !== undefined ? error.fix : NATIVE_INSTALL_HINT;
    return { backend: 'native', available: false, detail: messageOf(error), fix: [fix] };
  }
}

function diagnoseWasm(context: Context): BackendDiagnosis {
  const { probes, settings } = context;
  const name = '@tensorflow/tfjs-backend-wasm';
  const version = probes.packageVersion(name);
  if (version === null)
    return { backend: 'wasm', available: false, detail: `${name} is not installed`, fix: ['npm ci'] };
  const { simd, threadedBinary } = probes.wasmFeatures();
  const cores = probes.cpu().cores;
  const threads = threadedBinary
    ? `${plural(settings.wasmThreads ?? 1, 'thread')} per process (LTLAB_WASM_THREADS, default 1, up to ${cores} here)`
    : '1 thread (the threaded-simd binary is missing)';
  return {
    backend: 'wasm',
    available: true,
    detail: `${name} ${version}, ${simd ? 'SIMD128' : 'scalar (no wasm SIMD in this Node)'}, ${threads}`,
    fix: [],
  };
}

function diagnoseCpu(context: Context): BackendDiagnosis {
  const version = context.probes.packageVersion('@tensorflow/tfjs-backend-cpu');
  if (version === null)
    return {
      backend: 'cpu',
      available: false,
      detail: '@tensorflow/tfjs-backend-cpu is not installed',
      fix: ['npm ci'],
    };
  return {
    backend: 'cpu',
    available: true,
    detail: `@tensorflow/tfjs-backend-cpu ${version}, pure JavaScript: the slowest`,
    fix: [],
  };
}

function resolveRequested(
  settings: Settings,
  backends: BackendDiagnosis[],
  auto: DiagnosedBackend | null,
): BackendReport['requested'] {
  const choice = settings.backend;
  if (choice === null) {
    const bad = settings.invalid.get('LTLAB_BACKEND');
    return { value: 'invalid', backend: null, detail: `LTLAB_BACKEND is invalid: ${bad?.message ?? 'unknown value'}` };
  }
  if (choice === 'auto') return { value: 'auto', backend: auto, detail: `auto: ${auto ?? 'none loads'}` };
  const candidates = backends.filter((d) =>
    choice === 'tensorflow' ? d.backend === 'tensorflow-gpu' || d.backend === 'tensorflow' : d.backend === choice,
  );
  const hit = candidates.find((d) => d.available);
  if (hit !== undefined)
    return { value: choice, backend: hit.backend, detail: `LTLAB_BACKEND=${choice}: ${hit.backend}` };
  const why = candidates.map((d) => `${d.backend}: ${d.detail}`).join('; ');
  return { value: choice, backend: null, detail: `LTLAB_BACKEND=${choice}, which does not load here (${why})` };
}

interface Settings {
  /** Null when LTLAB_BACKEND does not parse (see `invalid`). */
  backend: BackendChoice | null;
  webgpuAdapter: number | undefined;
  allowSoftware: boolean;
  nativeThreads: number | undefined;
  wasmThreads: number | undefined;
  entries: BackendReport['env'];
  /** Settings that do not parse, with the parse error's fix. */
  invalid: Map<string, { message: string; fix: string | null }>;
}

/** The settings initRuntime reads for each backend: a bad one stops it with CONFIG.INVALID, no fallback. */
const SETTINGS_READ: Partial<Record<DiagnosedBackend, readonly string[]>> = {
  webgpu: ['LTLAB_WEBGPU_ADAPTER', 'LTLAB_WEBGPU_ALLOW_SOFTWARE'],
  native: ['LTLAB_NATIVE_THREADS'],
  wasm: ['LTLAB_WASM_THREADS'],
};

function badSetting(
  settings: Settings,
  names: readonly string[],
): { name: string; message: string; fix: string | null } | undefined {
  for (const name of names) {
    const bad = settings.invalid.get(name);
    if (bad !== undefined) return { name, ...bad };
  }
  return undefined;
}

/** The variables that steer the choice, parsed as initRuntime parses them (a bad one is reported, not thrown). */
function readSettings(env: NodeJS.ProcessEnv): Settings {
  const entries: BackendReport['env'] = [];
  const invalid: Settings['invalid'] = new Map();
  const read = <T>(name: string, effect: string, parse: (env: NodeJS.ProcessEnv) => T, fallback: T): T => {
    const raw = env[name];
    try {
      const value = parse(env);
      entries.push({ name, value: raw ?? null, effect, problem: null });
      return value;
    } catch (error) {
      entries.push({ name, value: raw ?? null, effect, problem: explain(error) });
      invalid.set(name, { message: messageOf(error), fix: isLtlabError(error) ? (error.fix ?? null) : null });
      return fallback;
    }
  };
  const backend = read<BackendChoice | null>(
    'LTLAB_BACKEND',
    'auto (default), tensorflow, webgpu, native, wasm or cpu: what `ltlab train` and the workers train on',
    backendChoiceFromEnv,
    null,
  );
  const webgpuAdapter = read(
    'LTLAB_WEBGPU_ADAPTER',
    "index of the WebGPU adapter (default 0; a worker's GPU slot sets it to its GPU)",
    webgpuAdapterFromEnv,
    undefined,
  );
  const allowSoftware = read(
    'LTLAB_WEBGPU_ALLOW_SOFTWARE',
    '1: LTLAB_BACKEND=webgpu accepts a software adapter, for tests (auto never does)',
    webgpuAllowSoftwareFromEnv,
    false,
  );
  const nativeThreads = read(
    'LTLAB_NATIVE_THREADS',
    'oneDNN threads per process on native (default the cores it may use; worker slots use 1)',
    nativeThreadsFromEnv,
    undefined,
  );
  const wasmThreads = read(
    'LTLAB_WASM_THREADS',
    'XNNPACK threads per process on wasm (default 1)',
    wasmThreadsFromEnv,
    undefined,
  );
  read('LTLAB_NATIVE_ADDON', 'another build of the native addon (.node file)', () => undefined, undefined);
  read('CUDA_VISIBLE_DEVICES', "'' or -1 hides every GPU from tensorflow-gpu and webgpu", () => undefined, undefined);
  return { backend, webgpuAdapter, allowSoftware, nativeThreads, wasmThreads, entries, invalid };
}

function npmInstall(name: string, coreVersion: string): string {
  // At the root, so it shares the workspace's tfjs-core: a second copy would register the backend where the runtime never looks.
  return `npm install --no-save ${name}@${coreVersion}  # at the repository root, matching @tensorflow/tfjs-core ${coreVersion}`;
}

/** The `webgpu` version this package's optionalDependencies pin. */
function webgpuVersionWanted(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      optionalDependencies?: Record<string, string>;
    };
    return manifest.optionalDependencies?.[WEBGPU_PACKAGE] ?? 'latest';
  } catch {
    return 'latest';
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The message on one line (zod's list their issues on several). */
function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
}

/** An error's message, plus its fix when it has one. */
function explain(error: unknown): string {
  return isLtlabError(error) && error.fix !== undefined ? `${error.message} Fix: ${error.fix}` : messageOf(error);
}
