import { LtlabError } from '@ltlab/core';
import type { BatchJob } from '../../loader/ordered-prefetch.js';
import { sampleRng } from '../../transforms/pipeline.js';
import { loadSegmentationSample, type SegmentationRef } from '../sources/segmentation-source.js';
import type { SegmentationPipeline } from '../transforms/segmentation-pipeline.js';

/** The tensor data of a segmentation batch. */
export interface SegmentationBatchData {
  /** Normalised images, float32 NHWC. */
  images: Float32Array;
  /** Label maps, int32 N x H' x W': class ids, or the ignore index 255 (unlabelled and padding). */
  labels: Int32Array;
  /** [batch, height, width, channels] of `images`. */
  shape: [number, number, number, number];
  /** [batch, height, width] of `labels`: the image's, or each stored label map's with originalLabels. */
  labelShape: [number, number, number];
}

/**
 * Reads, augments and writes the pairs of one batch. Runs in a loader worker (or inline); the
 * result depends only on the job. Every sample of a batch must come out of the pipeline with the
 * same size (end training pipelines with `pad`). With `originalLabels` the label maps are the
 * stored ones, untouched by the pipeline (mmseg evaluates at the original resolution).
 */
export async function buildSegmentationBatch(
  ref: SegmentationRef,
  pipeline: SegmentationPipeline,
  job: BatchJob,
  options: { originalLabels: boolean },
): Promise<SegmentationBatchData> {
  const n = job.indices.length;
  if (n === 0) throw new LtlabError('INTERNAL', 'buildSegmentationBatch got an empty batch.');
  const samples = await Promise.all(Array.from(job.indices, (index) => loadSegmentationSample(ref, index)));
  let images: Float32Array | undefined;
  let labels: Int32Array | undefined;
  let shape: [number, number, number, number] = [n, 0, 0, 0];
  let labelShape: [number, number, number] = [n, 0, 0];
  samples.forEach((sample, k) => {
    const index = job.indices[k] as number;
    const out = pipeline.run(sample, sampleRng(job.seed, job.epoch, job.start + k, 0));
    const [height, width] = pipeline.outputSize(out.image.height, out.image.width);
    const labelSize = options.originalLabels ? [sample.label.height, sample.label.width] : [height, width];
    if (images === undefined || labels === undefined) {
      shape = [n, height, width, out.image.channels];
      labelShape = [n, labelSize[0] as number, labelSize[1] as number];
      images = new Float32Array(n * height * width * out.image.channels);
      labels = new Int32Array(n * labelShape[1] * labelShape[2]);
    }
    if (height !== shape[1] || width !== shape[2] || out.image.channels !== shape[3]) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `Sample ${index} comes out of the pipeline as ${height}x${width}x${out.image.channels}, ` +
          `but the batch is ${shape[1]}x${shape[2]}x${shape[3]}.`,
        { fix: "End the pipeline with a fixed size: randomCrop then { name: 'pad', size } (or use batch size 1)." },
      );
    }
    if (labelSize[0] !== labelShape[1] || labelSize[1] !== labelShape[2]) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `Sample ${index} has a ${labelSize[0]}x${labelSize[1]} label map, but the batch's are ${labelShape[1]}x${labelShape[2]}.`,
        { fix: 'Evaluate at the original label size with batch size 1, or with transformed labels.' },
      );
    }
    pipeline.writeImage(out.image, images, k, height, width);
    if (options.originalLabels) labels.set(sample.label.data, k * labelShape[1] * labelShape[2]);
    else pipeline.writeLabel(out.label, labels, k, height, width);
  });
  return { images: images as Float32Array, labels: labels as Int32Array, shape, labelShape };
}
