import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { LtlabError, parseOrThrow } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';

/** Threads per process for XNNPACK on wasm; 1 is the stock single-threaded SIMD binary. */
const wasmThreadsSchema = z.coerce.number().int().min(1).max(64);

/** Reads `LTLAB_WASM_THREADS`; undefined when unset (then 1, or whatever wasm already runs). */
export function wasmThreadsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.LTLAB_WASM_THREADS;
  if (raw === undefined || raw === '') return undefined;
  return parseOrThrow(wasmThreadsSchema, raw, 'LTLAB_WASM_THREADS', `Set LTLAB_WASM_THREADS: ${THREADS_FIX}`);
}

const THREADS_FIX = 'a whole number of threads from 1 to 64, at most the cores this process may use.';

/** The emscripten module of the threaded binary, as far as this file and BackendWasm use it. */
interface ThreadedModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  PThread: { runningWorkers: Array<{ unref(): void }> };
  tfjs?: Record<string, (...args: number[]) => number>;
}

type WasmPackage = {
  BackendWasm: new (module: unknown) => tf.KernelBackend;
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
};

/** Thread count of the wasm backend this process initialised, kept across module copies like TF.js's registries. */
const STATE_KEY = Symbol.for('@ltlab/runtime/wasm-threads');
const state = globalThis as { [STATE_KEY]?: number };

/**
 * Makes `tf.setBackend('wasm')` start the backend with `requested` XNNPACK threads (default 1)
 * and returns the count it got. The count is fixed once wasm has started in a process: asking
 * for another one afterwards throws CONFIG.UNSUPPORTED; asking for none keeps it.
 *
 * Threads > 1 load tfjs-backend-wasm's threaded-simd binary by hand, because the stock loader
 * turns threads off in Node (WASM_HAS_MULTITHREAD_SUPPORT is false there) and, forced on, hands
 * emscripten's pthread pool a `blob:` worker URL that Node's Worker refuses (ERR_WORKER_PATH).
 * Relies on tfjs-backend-wasm 4.x's file layout and on the same `tfjs` cwraps its own init sets.
 */
export async function useWasmThreads(requested: number | undefined): Promise<number> {
  const threads =
    requested === undefined ? undefined : parseOrThrow(wasmThreadsSchema, requested, 'wasmThreads', THREADS_FIX);
  const started = tf.engine().registry.wasm !== undefined;
  if (started) {
    const current = state[STATE_KEY] ?? 1;
    if (threads !== undefined && current !== threads) {
      throw new LtlabError(
        'CONFIG.UNSUPPORTED',
        `The wasm backend already runs with ${current} thread(s) in this process; ${threads} were asked for.`,
        {
          fix: 'Set LTLAB_WASM_THREADS (or initRuntime({ wasmThreads })) before the first wasm initialisation; use one value per process.',
        },
      );
    }
    return current;
  }
  if (threads === undefined || threads === 1) {
    state[STATE_KEY] = 1;
    return 1;
  }
  const wasmPackage = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as WasmPackage;
  wasmPackage.setThreadsCount(threads);
  // XNNPACK's pool is capped by the core count emscripten reads through os.cpus() (1 thread on
  // 2 cores); the caller asked for `threads`, so the count is reported as at least that while
  // the module starts and the pool is created, and put back at once.
  const realCpus = os.cpus;
  os.cpus = () => {
    const cores = realCpus();
    const template = cores[0];
    return template === undefined || cores.length >= 4 * threads ? cores : new Array(4 * threads).fill(template);
  };
  let module: ThreadedModule;
  let backend: tf.KernelBackend;
  try {
    module = await loadThreadedModule();
    backend = new wasmPackage.BackendWasm(module);
  } finally {
    os.cpus = realCpus;
  }
  // emscripten ref()s every running pthread's Worker; unref'd, they no longer keep Node alive.
  for (const worker of module.PThread.runningWorkers) worker.unref();
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => backend, 2);
  const actual = wasmPackage.getThreadsCount();
  state[STATE_KEY] = actual;
  return actual;
}

async function loadThreadedModule(): Promise<ThreadedModule> {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const factoryPath = join(packageDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const binaryPath = join(packageDir, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm');
  const { wasmWorkerContents } = require(join(packageDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  const workerPath = writeWorkerScript(wasmWorkerContents);
  const factory = require(factoryPath) as (config: object) => Promise<ThreadedModule>;
  // emscripten starts its pthread pool with `new Worker(path)`, and a Worker inherits the
  // parent's execArgv: under `node --input-type=module -e` (or loader flags) every pthread
  // would fail to start. The factory reads worker_threads.Worker while it runs synchronously.
  const workerThreads = require('node:worker_threads') as { Worker: typeof Worker };
  workerThreads.Worker = class extends Worker {
    constructor(filename: string | URL, options?: WorkerOptions) {
      super(filename, { ...options, execArgv: [] });
    }
  };
  let ready: Promise<ThreadedModule>;
  try {
    ready = factory({
      locateFile: (path: string, prefix: string) =>
        path.endsWith('.worker.js') ? workerPath : path.endsWith('.wasm') ? binaryPath : prefix + path,
      // pthread workers load the factory from here (a file path, where the stock loader gives a Blob).
      mainScriptUrlOrBlob: factoryPath,
    });
  } finally {
    workerThreads.Worker = Worker;
  }
  const module = await ready;
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/**
 * The pthread worker script as a file, named by its hash so concurrent processes share it.
 * Its `\n` escapes must stay escapes, as the stock loader keeps them when it makes its Blob.
 */
function writeWorkerScript(contents: string): string {
  const source = contents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const path = join(os.tmpdir(), `ltlab-tfjs-wasm-worker-${hash}.cjs`);
  if (!existsSync(path)) {
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, source);
    renameSync(partial, path);
  }
  return path;
}
