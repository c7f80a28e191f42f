import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LtlabError } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import type { BackendProbes } from './backend-probes.js';
import {
  type BackendDiagnosis,
  type BackendReport,
  backendReportSchema,
  DIAGNOSED_BACKENDS,
  diagnoseBackends,
  type WebgpuAdapterDiagnosis,
} from './diagnose-backends.js';

const LAVAPIPE: WebgpuAdapterDiagnosis = {
  index: 0,
  name: 'llvmpipe (LLVM 15.0.6, 256 bits)',
  kind: 'software',
  vendor: 'mesa',
  architecture: 'software',
  description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)',
  maxBufferBytes: 4294967295,
  problem: null,
  fix: null,
};
const H100: WebgpuAdapterDiagnosis = {
  index: 0,
  name: 'NVIDIA H100 80GB HBM3',
  kind: 'hardware',
  vendor: 'nvidia',
  architecture: 'hopper',
  description: 'NVIDIA: 570.86.15',
  maxBufferBytes: 2 ** 36,
  problem: null,
  fix: null,
};

const VULKAN = '\tlibvulkan.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libvulkan.so.1\n';
const CUDA_11 =
  '\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda-11/lib/libcudart.so.11.0\n' +
  '\tlibcudnn.so.8 (libc6,x86-64) => /usr/local/cuda-11/lib/libcudnn.so.8\n';
const CUDA_12 = '\tlibcudart.so.12 (libc6,x86-64) => /usr/local/cuda-12/lib/libcudart.so.12\n';

const WORKSPACE: Record<string, string> = {
  '@tensorflow/tfjs-core': '4.22.0',
  '@tensorflow/tfjs-backend-wasm': '4.22.0',
  '@tensorflow/tfjs-backend-cpu': '4.22.0',
  webgpu: '0.6.2',
};

/** A CPU machine with the workspace installed, Vulkan's loader and lavapipe, and the native addon built. */
function machine(
  overrides: Partial<BackendProbes> & { packages?: Record<string, string> } = {},
): Partial<BackendProbes> {
  const { packages = {}, ...probes } = overrides;
  const installed: Record<string, string> = { ...WORKSPACE, ...packages };
  return {
    env: {},
    nvidiaGpus: () => [],
    renderNodes: () => [],
    linkerCache: () => VULKAN,
    packageVersion: (name) => installed[name] ?? null,
    loadsInChild: async () => null,
    webgpuAdapters: async () => [LAVAPIPE],
    nativeAddon: () => ({ onednn: '2.6.3', cpuIsa: 'avx2' }),
    wasmFeatures: () => ({ simd: true, threadedBinary: true }),
    cpu: () => ({ model: 'Test CPU', cores: 4 }),
    ...probes,
  };
}

/** A GPU node: one H100, its Vulkan adapter, the CUDA 11 libraries and tfjs-node-gpu. */
function gpuNode(overrides: Partial<BackendProbes> & { packages?: Record<string, string> } = {}) {
  return machine({
    nvidiaGpus: () => ['NVIDIA H100 80GB HBM3'],
    renderNodes: () => ['renderD128'],
    linkerCache: () => VULKAN + CUDA_11,
    webgpuAdapters: async () => [H100],
    ...overrides,
    packages: { '@tensorflow/tfjs-node-gpu': '4.22.0', ...overrides.packages },
  });
}

function entry(report: BackendReport, backend: BackendDiagnosis['backend']): BackendDiagnosis {
  const found = report.backends.find((d) => d.backend === backend);
  if (found === undefined) throw new Error(`no ${backend} entry`);
  return found;
}

/** What every report must satisfy: the schema, plain data, every backend once in auto order, a fix for each gap. */
function expectWellFormed(report: BackendReport): void {
  expect(backendReportSchema.parse(report)).toEqual(report);
  expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  expect(report.backends.map((d) => d.backend)).toEqual([...DIAGNOSED_BACKENDS]);
  for (const d of report.backends) {
    if (d.available) expect(d.fix).toEqual([]);
    else expect(d.fix.length, `${d.backend} has no fix`).toBeGreaterThan(0);
  }
}

describe('diagnoseBackends', () => {
  it('on a CPU machine: native is what auto picks, each GPU path says what is missing and how to get it', async () => {
    const report = await diagnoseBackends(machine());
    expectWellFormed(report);
    const gpu = entry(report, 'tensorflow-gpu');
    expect(gpu.available).toBe(false);
    expect(gpu.detail).toMatch(/^no NVIDIA GPU visible/);
    expect(gpu.detail).toMatch(/libcudart\.so\.11\.0, libcudnn\.so\.8, so it would run on the CPU/);
    expect(gpu.detail).toMatch(/@tensorflow\/tfjs-node-gpu is not installed/);
    expect(gpu.fix).toEqual([
      expect.stringMatching(/--gpus all/),
      expect.stringMatching(/apt-get install cuda-libraries-11-2 libcudnn8=8\.1\.1\.33-1\+cuda11\.2/),
      expect.stringMatching(/^npm install --no-save @tensorflow\/tfjs-node-gpu@4\.22\.0/),
    ]);
    expect(entry(report, 'tensorflow').fix).toEqual([
      expect.stringMatching(/^npm install --no-save @tensorflow\/tfjs-node@4\.22\.0/),
    ]);
    expect(entry(report, 'native')).toMatchObject({ available: true, detail: expect.stringMatching(/oneDNN 2\.6\.3/) });
    expect(entry(report, 'native').detail).toMatch(/avx2 kernels .*; 4 threads per process/);
    expect(entry(report, 'wasm').detail).toMatch(/SIMD128, 1 thread per process .*up to 4 here/);
    expect(entry(report, 'cpu').available).toBe(true);
    expect(report.auto.backend).toBe('native');
    // Skip reasons name the first problem, as initRuntime's reason does.
    expect(report.auto.reason).toBe(
      'auto: native; skipped tensorflow-gpu (no NVIDIA GPU visible (/proc/driver/nvidia/gpus is absent)); webgpu (no GPU device); tensorflow (@tensorflow/tfjs-node is not installed)',
    );
    expect(report.requested).toEqual({ value: 'auto', backend: 'native', detail: 'auto: native' });
    expect(report.host).toMatchObject({ cpu: 'Test CPU', cores: 4 });
  });

  it('a software-only Vulkan adapter: listed, not available, and usable only with LTLAB_WEBGPU_ALLOW_SOFTWARE=1', async () => {
    const report = await diagnoseBackends(machine());
    const webgpu = entry(report, 'webgpu');
    expect(webgpu.available).toBe(false);
    expect(webgpu.detail).toMatch(/^only a software adapter \(llvmpipe.*LTLAB_WEBGPU_ALLOW_SOFTWARE=1, for tests/);
    expect(webgpu.fix).toEqual([
      expect.stringMatching(/GPU and its Vulkan driver/),
      expect.stringMatching(/^LTLAB_BACKEND=webgpu LTLAB_WEBGPU_ALLOW_SOFTWARE=1 /),
    ]);
    expect(webgpu.adapters).toEqual([LAVAPIPE]);

    const allowed = await diagnoseBackends(
      machine({ env: { LTLAB_WEBGPU_ALLOW_SOFTWARE: '1', LTLAB_BACKEND: 'webgpu' } }),
    );
    expectWellFormed(allowed);
    expect(entry(allowed, 'webgpu')).toMatchObject({
      available: true,
      detail: expect.stringMatching(/^software adapter 0 .*auto never picks it/),
    });
    expect(allowed.requested).toMatchObject({ value: 'webgpu', backend: 'webgpu' });
    // Even with a GPU device present, auto passes a software adapter by.
    const withDevice = await diagnoseBackends(
      machine({ env: { LTLAB_WEBGPU_ALLOW_SOFTWARE: '1' }, renderNodes: () => ['renderD128'] }),
    );
    expect(withDevice.auto.backend).toBe('native');
    expect(withDevice.auto.reason).toMatch(/webgpu \(a software adapter, which auto never picks\)/);
  });

  it('a GPU node with CUDA 11 and tfjs-node-gpu: tensorflow-gpu, loaded in a child, is what auto picks', async () => {
    const loaded: string[] = [];
    const report = await diagnoseBackends(
      gpuNode({
        loadsInChild: async (name) => {
          loaded.push(name);
          return null;
        },
      }),
    );
    expectWellFormed(report);
    expect(loaded).toEqual(['@tensorflow/tfjs-node-gpu']);
    expect(entry(report, 'tensorflow-gpu')).toMatchObject({
      available: true,
      detail: '@tensorflow/tfjs-node-gpu 4.22.0 on NVIDIA H100 80GB HBM3, CUDA 11 libraries found',
    });
    expect(entry(report, 'webgpu')).toMatchObject({
      available: true,
      detail: expect.stringMatching(/^adapter 0: NVIDIA H100/),
    });
    expect(report.auto).toEqual({ backend: 'tensorflow-gpu', reason: 'auto: tensorflow-gpu' });
  });

  it('a GPU node without the CUDA 11 libraries: tensorflow-gpu would run on the CPU, so auto takes webgpu', async () => {
    const report = await diagnoseBackends(gpuNode({ linkerCache: () => VULKAN + CUDA_12 }));
    expectWellFormed(report);
    const gpu = entry(report, 'tensorflow-gpu');
    expect(gpu.available).toBe(false);
    expect(gpu.detail).toBe(
      'the CUDA 11 libraries are missing: libcudart.so.11.0, libcudnn.so.8 (found libcudart.so.12, which libtensorflow 2.9 cannot use), so it would run on the CPU',
    );
    expect(gpu.fix).toEqual([expect.stringMatching(/apt-get install cuda-libraries-11-2 .*LD_LIBRARY_PATH=/)]);
    expect(report.auto.backend).toBe('webgpu');
    // A directory on LD_LIBRARY_PATH counts as well as the linker cache.
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-cuda-11-'));
    try {
      for (const name of ['libcudart.so.11.0', 'libcudnn.so.8']) writeFileSync(join(dir, name), '');
      const viaPath = await diagnoseBackends(gpuNode({ linkerCache: () => VULKAN, env: { LD_LIBRARY_PATH: dir } }));
      expect(entry(viaPath, 'tensorflow-gpu').available).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a GPU node without tfjs-node-gpu, or hidden by CUDA_VISIBLE_DEVICES', async () => {
    const missing = await diagnoseBackends(gpuNode({ packageVersion: (name) => WORKSPACE[name] ?? null }));
    expectWellFormed(missing);
    expect(entry(missing, 'tensorflow-gpu')).toMatchObject({
      available: false,
      detail: '@tensorflow/tfjs-node-gpu is not installed',
      fix: [expect.stringMatching(/^npm install --no-save @tensorflow\/tfjs-node-gpu@4\.22\.0/)],
    });
    expect(missing.auto.backend).toBe('webgpu');

    const hidden = await diagnoseBackends(gpuNode({ env: { CUDA_VISIBLE_DEVICES: '-1' } }));
    expectWellFormed(hidden);
    expect(entry(hidden, 'tensorflow-gpu')).toMatchObject({
      detail: 'CUDA_VISIBLE_DEVICES="-1" hides every GPU',
      fix: [expect.stringMatching(/^unset CUDA_VISIBLE_DEVICES/)],
    });
    // A hidden GPU is hidden from webgpu too (a CPU worker slot must not take it through Vulkan).
    expect(hidden.auto.backend).toBe('native');
    expect(hidden.auto.reason).toMatch(/webgpu \(no GPU device\)/);
  });

  it('a package that is installed but does not load says why and how to reinstall it', async () => {
    const report = await diagnoseBackends(
      machine({
        packages: { '@tensorflow/tfjs-node': '4.22.0' },
        loadsInChild: async () => 'libtensorflow.so.2: cannot open shared object file',
      }),
    );
    expectWellFormed(report);
    expect(entry(report, 'tensorflow')).toMatchObject({
      available: false,
      detail: '@tensorflow/tfjs-node 4.22.0 does not load: libtensorflow.so.2: cannot open shared object file',
      fix: [expect.stringMatching(/npm run install/)],
    });
    const loads = await diagnoseBackends(machine({ packages: { '@tensorflow/tfjs-node': '4.22.0' } }));
    expect(loads.auto.backend).toBe('tensorflow');
  });

  it('webgpu without its package, the Vulkan loader or any adapter, and with a bad adapter index', async () => {
    const noPackage = await diagnoseBackends(
      machine({
        packageVersion: (name) => (name === 'webgpu' ? null : (WORKSPACE[name] ?? null)),
        linkerCache: () => '',
      }),
    );
    expectWellFormed(noPackage);
    expect(entry(noPackage, 'webgpu')).toMatchObject({
      detail: 'the webgpu package (Dawn) is not installed; the Vulkan loader libvulkan.so.1 is missing',
      fix: [expect.stringMatching(/^npm install --no-save webgpu@0\.6\.2/), 'apt-get install libvulkan1'],
    });
    const noAdapter = await diagnoseBackends(machine({ webgpuAdapters: async () => [] }));
    expectWellFormed(noAdapter);
    expect(entry(noAdapter, 'webgpu').fix).toContainEqual(expect.stringMatching(/mesa-vulkan-drivers/));
    const broken = await diagnoseBackends(
      machine({
        webgpuAdapters: async () => {
          throw new Error('GLIBC_2.34 not found');
        },
      }),
    );
    expect(entry(broken, 'webgpu')).toMatchObject({
      detail: 'webgpu 0.6.2 does not load: GLIBC_2.34 not found',
      fix: [expect.stringMatching(/glibc >= 2\.34/)],
    });
    // Two identical GPUs: Dawn's binding picks by name, so the second is out of one process's reach.
    const twin = {
      ...H100,
      index: 1,
      kind: 'unknown' as const,
      problem: "WebGPU adapter 1 has the same name as adapter 0 ('NVIDIA H100 80GB HBM3')",
      fix: 'Run one worker per GPU, each shown only its GPU.',
    };
    const twins = await diagnoseBackends(
      gpuNode({ env: { LTLAB_WEBGPU_ADAPTER: '1' }, webgpuAdapters: async () => [H100, twin] }),
    );
    expectWellFormed(twins);
    expect(entry(twins, 'webgpu')).toMatchObject({
      available: false,
      detail: expect.stringMatching(/^adapter 1 \(NVIDIA H100 80GB HBM3\) cannot be opened: .*same name/),
      fix: ['Run one worker per GPU, each shown only its GPU.'],
    });
    const badIndex = await diagnoseBackends(gpuNode({ env: { LTLAB_WEBGPU_ADAPTER: '3' } }));
    expectWellFormed(badIndex);
    expect(entry(badIndex, 'webgpu')).toMatchObject({
      detail: 'LTLAB_WEBGPU_ADAPTER is 3, but Dawn lists 1 adapter(s)',
      fix: ['LTLAB_WEBGPU_ADAPTER=<0 to 0>'],
    });
  });

  it('without the native addon, auto falls to wasm and the fix is the build command', async () => {
    const report = await diagnoseBackends(
      machine({
        nativeAddon: () => {
          throw new LtlabError('RUNTIME.BACKEND_UNAVAILABLE', 'The native backend is not built (x.node is missing).', {
            fix: 'Install oneDNN 2.x and a compiler, then build it: apt-get install libdnnl-dev build-essential && node build.mjs',
          });
        },
      }),
    );
    expectWellFormed(report);
    expect(entry(report, 'native')).toMatchObject({
      available: false,
      detail: 'The native backend is not built (x.node is missing).',
      fix: [expect.stringMatching(/apt-get install libdnnl-dev build-essential/)],
    });
    expect(report.auto.backend).toBe('wasm');
  });

  it('a broken install where nothing loads: auto picks none, and says so', async () => {
    const report = await diagnoseBackends(
      machine({
        packageVersion: () => null,
        linkerCache: () => '',
        nativeAddon: () => {
          throw new Error('gone');
        },
      }),
    );
    expectWellFormed(report);
    expect(report.backends.every((d) => !d.available)).toBe(true);
    expect(entry(report, 'native').fix).toEqual([expect.stringMatching(/apt-get install libdnnl-dev/)]);
    expect(entry(report, 'wasm').fix).toEqual(['npm ci']);
    expect(report.auto.backend).toBeNull();
    expect(report.auto.reason).toMatch(
      /^auto: none loads; skipped tensorflow-gpu .* cpu \(@tensorflow\/tfjs-backend-cpu is not installed\)$/,
    );
    expect(report.requested).toMatchObject({ value: 'auto', backend: null });
  });

  it('reports LTLAB_* settings, bad values included, and what LTLAB_BACKEND would activate', async () => {
    const report = await diagnoseBackends(
      machine({ env: { LTLAB_BACKEND: 'tensorflow', LTLAB_NATIVE_THREADS: '0', LTLAB_WASM_THREADS: '2' } }),
    );
    expectWellFormed(report);
    expect(report.requested).toMatchObject({ value: 'tensorflow', backend: null });
    expect(report.requested.detail).toMatch(
      /^LTLAB_BACKEND=tensorflow, which does not load here \(tensorflow-gpu: no NVIDIA GPU .*; tensorflow: @tensorflow\/tfjs-node is not installed\)$/,
    );
    // initRuntime rethrows a bad setting instead of falling back: auto stops at native.
    expect(entry(report, 'native')).toMatchObject({
      available: false,
      detail: expect.stringMatching(/^LTLAB_NATIVE_THREADS is invalid, so initRuntime stops here with CONFIG\.INVALID/),
      fix: [expect.stringMatching(/^Set LTLAB_NATIVE_THREADS to a whole number/)],
    });
    expect(report.auto.backend).toBeNull();
    expect(report.auto.reason).toMatch(/; stops at native: LTLAB_NATIVE_THREADS is invalid \(CONFIG\.INVALID\)$/);
    const byName = Object.fromEntries(report.env.map((e) => [e.name, e]));
    expect(byName.LTLAB_BACKEND).toMatchObject({ value: 'tensorflow', problem: null });
    expect(byName.LTLAB_NATIVE_THREADS?.problem).toMatch(/LTLAB_NATIVE_THREADS/);
    expect(byName.LTLAB_WEBGPU_ADAPTER).toMatchObject({ value: null, problem: null });
    expect(entry(report, 'wasm').detail).toMatch(/2 threads per process/);

    const invalid = await diagnoseBackends(machine({ env: { LTLAB_BACKEND: 'gpu' } }));
    expect(invalid.requested).toMatchObject({
      value: 'invalid',
      backend: null,
      detail: expect.stringMatching(/^LTLAB_BACKEND is invalid: .*gpu/),
    });
    expect(invalid.env.find((e) => e.name === 'LTLAB_BACKEND')?.problem).toMatch(/auto, tensorflow, webgpu/);
    expect(invalid.auto.backend).toBe('native');
  });

  it("reads this machine's packages, linker cache and wasm features", async () => {
    // The slow or stateful probes stay fakes; the rest are this machine's.
    const report = await diagnoseBackends({
      loadsInChild: async () => null,
      webgpuAdapters: async () => [],
      nativeAddon: () => ({ onednn: '2.6.3', cpuIsa: 'avx2' }),
    });
    expectWellFormed(report);
    expect(entry(report, 'wasm').detail).toMatch(/^@tensorflow\/tfjs-backend-wasm 4\.22\.0, SIMD128, /);
    expect(entry(report, 'cpu').detail).toMatch(/^@tensorflow\/tfjs-backend-cpu 4\.22\.0/);
    expect(report.host.cores).toBeGreaterThan(0);
  });
});
