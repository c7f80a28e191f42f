import { parentPort, workerData } from 'node:worker_threads';
import { toLtlabError } from '@ltlab/core';
import type { ImageRef } from '../sources/source.js';
import { compileViews } from '../transforms/pipeline.js';
import { type BatchJob, buildBatch } from './batch-builder.js';

/** Messages between the loader and its workers. */
export type WorkerRequest = { type: 'batch'; id: number; job: BatchJob };
export type WorkerReply =
  | { type: 'done'; id: number; views: Float32Array[]; shape: [number, number, number, number] }
  | { type: 'failed'; id: number; error: unknown };

export interface LoaderWorkerData {
  ref: ImageRef;
  transform: unknown;
}

// Entry point of a loader worker thread: the transform spec is data, compiled here again.
if (parentPort !== null) {
  const port = parentPort;
  const { ref, transform } = workerData as LoaderWorkerData;
  const pipelines = compileViews(transform);
  port.on('message', (request: WorkerRequest) => {
    buildBatch(ref, pipelines, request.job).then(
      (built) => {
        const reply: WorkerReply = { type: 'done', id: request.id, ...built };
        port.postMessage(
          reply,
          built.views.map((view) => view.buffer as ArrayBuffer),
        );
      },
      (error: unknown) => {
        const reply: WorkerReply = { type: 'failed', id: request.id, error: toLtlabError(error).toJSON() };
        port.postMessage(reply);
      },
    );
  });
}
