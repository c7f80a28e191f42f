import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { isLtlabError } from '@ltlab/core';
import { readLinkerCache } from './cuda-libraries.js';
import type { WebgpuAdapterDiagnosis } from './diagnose-backends.js';
import { gpuRenderNodes, nvidiaGpuModels } from './gpu-devices.js';
import { oneDnnIsaName } from './native/cpu-isa.js';
import { loadNativeAddon } from './native/native-addon.js';
import { defaultNativeThreads } from './native/native-threads.js';
import { listWebgpuAdapterNames, openWebgpuAdapter } from './webgpu/webgpu-adapter.js';

/** What the diagnosis reads from the machine; tests replace any of them. */
export interface BackendProbes {
  env: NodeJS.ProcessEnv;
  /** GPU models in /proc/driver/nvidia/gpus, whatever CUDA_VISIBLE_DEVICES says. */
  nvidiaGpus(): string[];
  /** /dev/dri render nodes (AMD and Intel GPUs have one too). */
  renderNodes(): string[];
  /** `ldconfig -p`: where CUDA and Vulkan libraries are looked up (besides LD_LIBRARY_PATH). */
  linkerCache(): string;
  /** The installed version of an npm package, as this package resolves it; null when absent. */
  packageVersion(name: string): string | null;
  /** Requires a package in a separate Node process: null when it loads, else the error. */
  loadsInChild(name: string): Promise<string | null>;
  /** Dawn's Vulkan adapters as the runtime opens them; throws when the `webgpu` package does not load. */
  webgpuAdapters(): Promise<WebgpuAdapterDiagnosis[]>;
  /** Loads the native addon (throws a RUNTIME.BACKEND_UNAVAILABLE with the fix when it cannot). */
  nativeAddon(): { onednn: string; cpuIsa: string };
  wasmFeatures(): { simd: boolean; threadedBinary: boolean };
  /** CPU model and the cores this process may use. */
  cpu(): { model: string; cores: number };
}

/** The probes of this machine. */
export function machineProbes(): BackendProbes {
  const require = createRequire(import.meta.url);
  return {
    env: process.env,
    nvidiaGpus: nvidiaGpuModels,
    renderNodes: gpuRenderNodes,
    linkerCache: readLinkerCache,
    packageVersion: (name) => packageVersion(require, name),
    loadsInChild: (name) => loadsInChild(require, name),
    webgpuAdapters,
    nativeAddon: () => {
      const { onednn, cpuIsa } = loadNativeAddon().info();
      return { onednn, cpuIsa: oneDnnIsaName(cpuIsa) };
    },
    wasmFeatures: () => wasmFeatures(require),
    cpu: () => ({ model: cpus()[0]?.model.trim() ?? 'unknown', cores: defaultNativeThreads() }),
  };
}

function packageVersion(require: NodeJS.Require, name: string): string | null {
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    return null;
  }
  // Walk up from the entry file: package.json may not be an exported subpath.
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === name) return manifest.version ?? 'unknown';
  }
  return 'unknown';
}

/** Requires `name` in a fresh Node: each tfjs-node flavour brings its own libtensorflow, and may crash loading it. */
function loadsInChild(require: NodeJS.Require, name: string): Promise<string | null> {
  const entry = require.resolve(name);
  const script = `try { require(${JSON.stringify(entry)}); } catch (e) { process.stderr.write(String(e && e.message || e)); process.exit(1); }`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], {
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 120_000,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => resolve(error.message));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(null);
      else resolve(lastLine(stderr) || `node exited with ${signal ?? `code ${code}`} while loading it`);
    });
  });
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return (lines.at(-1) ?? '').slice(0, 400);
}

async function webgpuAdapters(): Promise<WebgpuAdapterDiagnosis[]> {
  const names = await listWebgpuAdapterNames();
  const adapters: WebgpuAdapterDiagnosis[] = [];
  for (const [index, name] of names.entries()) {
    try {
      // The way training opens it, so what is listed is what LTLAB_WEBGPU_ADAPTER=<index> gets.
      const { summary } = await openWebgpuAdapter({ index, allowSoftware: true });
      adapters.push({
        index,
        name,
        kind: summary.software ? 'software' : 'hardware',
        vendor: summary.vendor,
        architecture: summary.architecture,
        description: summary.description,
        maxBufferBytes: summary.maxBufferBytes,
        problem: null,
        fix: null,
      });
    } catch (error) {
      adapters.push({
        index,
        name,
        kind: 'unknown',
        vendor: '',
        architecture: '',
        description: '',
        maxBufferBytes: null,
        problem: messageOf(error),
        fix: isLtlabError(error) ? (error.fix ?? null) : null,
      });
    }
  }
  return adapters;
}

function wasmFeatures(require: NodeJS.Require): { simd: boolean; threadedBinary: boolean } {
  // tfjs-backend-wasm's own SIMD test (from wasm-feature-detect), without starting the backend.
  const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
  const simd = wasm.validate(
    new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11,
    ]),
  );
  let threadedBinary = false;
  try {
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    threadedBinary =
      typeof SharedArrayBuffer === 'function' &&
      existsSync(join(dir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js')) &&
      existsSync(join(dir, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm'));
  } catch {
    threadedBinary = false;
  }
  return { simd, threadedBinary };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
