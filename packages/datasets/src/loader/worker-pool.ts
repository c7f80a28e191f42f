import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LtlabError } from '@ltlab/core';
import { loadSharp } from '../sources/decode-image.js';
import type { LoaderWorkerData, WorkerReply, WorkerRequest } from './loader-worker.js';
import type { BatchJob } from './ordered-prefetch.js';

interface Pending<R> {
  resolve(result: R): void;
  reject(error: unknown): void;
}

interface Slot<R> {
  worker: Worker;
  pending: Map<number, Pending<R>>;
}

/**
 * Starts a loader worker. Built code runs `loader-worker.js` directly; from TypeScript sources
 * (tests, `tsx`), the worker first registers tsx's ESM hooks and resolves workspace packages
 * through the `@ltlab/source` condition.
 */
function startWorker(data: LoaderWorkerData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource) return new Worker(new URL('./loader-worker.js', import.meta.url), { workerData: data });
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./loader-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data, execArgv: ['--conditions=@ltlab/source'] });
}

/**
 * A fixed set of worker threads that build batches of one task (classification views or
 * segmentation pairs, `R` being the batch data); jobs go to the least busy worker.
 */
export class WorkerPool<R> {
  readonly #slots: Slot<R>[];
  #nextId = 0;
  #closed = false;

  private constructor(slots: Slot<R>[]) {
    this.#slots = slots;
  }

  static async create<R>(count: number, data: LoaderWorkerData): Promise<WorkerPool<R>> {
    // sharp must be loaded by the main thread before any worker loads it (libvips is per process).
    if (data.ref.kind === 'files' || data.ref.kind === 'segmentation-files') await loadSharp();
    const slots: Slot<R>[] = [];
    const pool = new WorkerPool<R>(slots);
    for (let k = 0; k < count; k++) {
      const slot: Slot<R> = { worker: startWorker(data), pending: new Map() };
      slot.worker.unref();
      slot.worker.on('message', (reply: WorkerReply) => pool.#settle(slot, reply));
      slot.worker.on('error', (error) => pool.#failAll(slot, error));
      slot.worker.on('exit', (code) => {
        if (!pool.#closed) pool.#failAll(slot, new LtlabError('INTERNAL', `A loader worker exited with code ${code}.`));
      });
      slots.push(slot);
    }
    return pool;
  }

  get size(): number {
    return this.#slots.length;
  }

  run(job: BatchJob): Promise<R> {
    if (this.#closed) return Promise.reject(new LtlabError('INTERNAL', 'The loader was closed.'));
    const slot = this.#slots.reduce((best, s) => (s.pending.size < best.pending.size ? s : best));
    const id = this.#nextId++;
    return new Promise<R>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.ref();
      const request: WorkerRequest = { type: 'batch', id, job };
      slot.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }

  #settle(slot: Slot<R>, reply: WorkerReply): void {
    const pending = slot.pending.get(reply.id);
    if (pending === undefined) return;
    slot.pending.delete(reply.id);
    if (slot.pending.size === 0) slot.worker.unref();
    if (reply.type === 'done') pending.resolve(reply.result as R);
    else pending.reject(LtlabError.fromJSON(reply.error));
  }

  #failAll(slot: Slot<R>, error: unknown): void {
    const failure =
      error instanceof LtlabError
        ? error
        : new LtlabError(
            'INTERNAL',
            `A loader worker failed: ${error instanceof Error ? error.message : String(error)}`,
            {
              cause: error,
            },
          );
    for (const pending of slot.pending.values()) pending.reject(failure);
    slot.pending.clear();
  }
}
