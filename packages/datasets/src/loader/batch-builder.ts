import { LtlabError } from '@ltlab/core';
import type { Image } from '../image.js';
import { decodeImageFile } from '../sources/decode-image.js';
import { pixelImage } from '../sources/pixel-source.js';
import type { ImageRef } from '../sources/source.js';
import { type Pipeline, sampleRng } from '../transforms/pipeline.js';
import type { BatchJob } from './ordered-prefetch.js';

/** The float32 NHWC tensor data of each view of a batch. */
export interface BuiltViews {
  views: Float32Array[];
  /** [batch, height, width, channels], the same for every view. */
  shape: [number, number, number, number];
}

function readImage(ref: ImageRef, index: number): Promise<Image> | Image {
  if (index < 0 || index >= (ref.kind === 'pixels' ? ref.rows.length : ref.paths.length)) {
    throw new LtlabError('CONFIG.INVALID', `Sampler index ${index} is outside the dataset.`);
  }
  if (ref.kind === 'pixels') return pixelImage(ref, index);
  return decodeImageFile(ref.paths[index] as string, index, ref.decode);
}

/**
 * Reads, augments and normalises the images of one batch. Runs in a loader worker (or inline);
 * the result depends only on the job, not on which thread ran it.
 */
export async function buildBatch(ref: ImageRef, pipelines: readonly Pipeline[], job: BatchJob): Promise<BuiltViews> {
  const n = job.indices.length;
  const images = await Promise.all(Array.from(job.indices, (index) => readImage(ref, index)));
  const views: Float32Array[] = [];
  let shape: [number, number, number, number] | undefined;
  pipelines.forEach((pipeline, v) => {
    images.forEach((image, k) => {
      const out = pipeline.run(image, sampleRng(job.seed, job.epoch, job.start + k, v));
      if (shape === undefined) shape = [n, out.height, out.width, out.channels];
      if (out.height !== shape[1] || out.width !== shape[2] || out.channels !== shape[3]) {
        throw new LtlabError(
          'CONFIG.INVALID',
          `View ${v} of sample ${job.indices[k]} is ${out.height}x${out.width}x${out.channels}, ` +
            `but the batch is ${shape[1]}x${shape[2]}x${shape[3]}.`,
          { fix: 'End the pipeline with a fixed-size step (randomResizedCrop, centerCrop or resize to [h, w]).' },
        );
      }
      if (views[v] === undefined) views[v] = new Float32Array(n * out.height * out.width * out.channels);
      pipeline.writeFloat(out, views[v] as Float32Array, k * out.height * out.width * out.channels);
    });
  });
  if (shape === undefined) throw new LtlabError('INTERNAL', 'buildBatch got an empty batch or no views.');
  return { views, shape };
}
