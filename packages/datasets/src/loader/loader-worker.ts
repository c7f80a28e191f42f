import { parentPort, workerData } from 'node:worker_threads';
import { toLtlabError } from '@ltlab/core';
import {
  buildSegmentationBatch,
  type SegmentationBatchData,
} from '../segmentation/loader/segmentation-batch-builder.js';
import type { SegmentationRef } from '../segmentation/sources/segmentation-source.js';
import { compileSegmentationPipeline } from '../segmentation/transforms/segmentation-pipeline.js';
import type { ImageRef } from '../sources/source.js';
import { compileViews } from '../transforms/pipeline.js';
import { type BuiltViews, buildBatch } from './batch-builder.js';
import type { BatchJob } from './ordered-prefetch.js';

/** Messages between the loader and its workers. */
export type WorkerRequest = { type: 'batch'; id: number; job: BatchJob };
export type WorkerReply =
  | { type: 'done'; id: number; result: unknown }
  | { type: 'failed'; id: number; error: unknown };

/** What a worker builds: classification views, or segmentation images with their label maps. */
export type LoaderWorkerData =
  | { task: 'classification'; ref: ImageRef; transform: unknown }
  | { task: 'segmentation'; ref: SegmentationRef; transform: unknown; originalLabels: boolean };

/** The batch builder of a worker's task, with the buffers its result transfers back. */
export function batchBuilder(
  data: LoaderWorkerData,
): (job: BatchJob) => Promise<{ result: BuiltViews | SegmentationBatchData; transfer: ArrayBuffer[] }> {
  if (data.task === 'classification') {
    const pipelines = compileViews(data.transform);
    return async (job) => {
      const built = await buildBatch(data.ref, pipelines, job);
      return { result: built, transfer: built.views.map((view) => view.buffer as ArrayBuffer) };
    };
  }
  const pipeline = compileSegmentationPipeline(data.transform);
  return async (job) => {
    const built = await buildSegmentationBatch(data.ref, pipeline, job, { originalLabels: data.originalLabels });
    return { result: built, transfer: [built.images.buffer as ArrayBuffer, built.labels.buffer as ArrayBuffer] };
  };
}

// Entry point of a loader worker thread: the transform spec is data, compiled here again.
if (parentPort !== null) {
  const port = parentPort;
  const build = batchBuilder(workerData as LoaderWorkerData);
  port.on('message', (request: WorkerRequest) => {
    build(request.job).then(
      ({ result, transfer }) => {
        const reply: WorkerReply = { type: 'done', id: request.id, result };
        port.postMessage(reply, transfer);
      },
      (error: unknown) => {
        const reply: WorkerReply = { type: 'failed', id: request.id, error: toLtlabError(error).toJSON() };
        port.postMessage(reply);
      },
    );
  });
}
