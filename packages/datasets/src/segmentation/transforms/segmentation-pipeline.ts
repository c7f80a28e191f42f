import { LtlabError, parseOrThrow, type Rng } from '@ltlab/core';
import type { Image } from '../../image.js';
import { channelStats, pipelineSpecSchema } from '../../transforms/pipeline.js';
import type { OutputNormalization } from '../../transforms/transform.js';
import { IGNORE_INDEX, type LabelMap, type SegmentationSample } from '../label-map.js';
import type { PadSpec, SegmentationTransform } from './segmentation-transform.js';
import { segmentationTransformEntry } from './segmentation-transform-registry.js';

/**
 * A compiled segmentation pipeline: uint8 pair steps, then the float output (normalisation of
 * the image, then padding of both). As data: `[{ name: 'resize', scale: [2048, 512], ratioRange:
 * [0.5, 2] }, { name: 'randomCrop', size: 512, catMaxRatio: 0.75 }, { name: 'randomFlip' },
 * { name: 'photoMetricDistortion' }, { name: 'normalize', preset: 'imagenet' }, { name: 'pad', size: 512 }]`.
 */
export class SegmentationPipeline {
  readonly steps: readonly SegmentationTransform[];
  readonly output: OutputNormalization;
  readonly pad: PadSpec | undefined;

  constructor(steps: readonly SegmentationTransform[], output: OutputNormalization, pad: PadSpec | undefined) {
    this.steps = steps;
    this.output = output;
    this.pad = pad;
  }

  /** The augmented uint8 pair (before padding). */
  run(sample: SegmentationSample, rng: Rng): SegmentationSample {
    let out = sample;
    for (const step of this.steps) out = step.apply(out, rng);
    return out;
  }

  /** [height, width] of the float output for a run result of `height` x `width`. */
  outputSize(height: number, width: number): [number, number] {
    const pad = this.pad;
    if (pad === undefined) return [height, width];
    if (pad.size !== undefined) {
      const [h, w] = pad.size;
      if (height > h || width > w) {
        throw new LtlabError('CONFIG.INVALID', `pad to ${h}x${w} got a larger ${height}x${width} sample.`, {
          fix: 'Crop to at most the pad size first (randomCrop with the same size).',
        });
      }
      return [h, w];
    }
    const d = pad.sizeDivisor as number;
    return [Math.ceil(height / d) * d, Math.ceil(width / d) * d];
  }

  /**
   * Writes a run result's image, normalised, as float32 HWC into sample slot `slot` of an
   * `outHeight` x `outWidth` batch; padding (the bottom and right) takes the pad value.
   */
  writeImage(image: Image, images: Float32Array, slot: number, outHeight: number, outWidth: number): void {
    const C = image.channels;
    const scale = new Float32Array(C);
    const shift = new Float32Array(C);
    for (let c = 0; c < C; c++) {
      const { mean, std } = channelStats(this.output, c, C);
      scale[c] = 1 / (255 * std);
      shift[c] = mean / std;
    }
    const padValue = this.pad?.padValue ?? 0;
    const base = slot * outHeight * outWidth * C;
    images.fill(padValue, base, base + outHeight * outWidth * C);
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const from = (y * image.width + x) * C;
        const to = base + (y * outWidth + x) * C;
        for (let c = 0; c < C; c++)
          images[to + c] = (image.data[from + c] as number) * (scale[c] as number) - (shift[c] as number);
      }
    }
  }

  /** Writes a run result's label map as int32 into slot `slot`; padding takes the label pad value (255). */
  writeLabel(label: LabelMap, labels: Int32Array, slot: number, outHeight: number, outWidth: number): void {
    const base = slot * outHeight * outWidth;
    labels.fill(this.pad?.labelPadValue ?? IGNORE_INDEX, base, base + outHeight * outWidth);
    for (let y = 0; y < label.height; y++) {
      const row = label.data.subarray(y * label.width, (y + 1) * label.width);
      labels.set(row, base + y * outWidth);
    }
  }
}

/**
 * Parses and compiles a segmentation pipeline: every entry's options are validated by its schema;
 * `normalize` may only be followed by `pad`, and `pad` must be last.
 */
export function compileSegmentationPipeline(
  spec: unknown,
  what = 'segmentation transform pipeline',
): SegmentationPipeline {
  const entries = parseOrThrow(pipelineSpecSchema, spec, what);
  const steps: SegmentationTransform[] = [];
  let output: OutputNormalization = { mean: [0], std: [1] };
  let pad: PadSpec | undefined;
  let sawNormalize = false;
  entries.forEach(({ name, ...options }, index) => {
    const entry = segmentationTransformEntry(name);
    const parsed = parseOrThrow(entry.schema, options, `${what}[${index}] '${name}' options`);
    const misplaced = (rule: string) =>
      new LtlabError('CONFIG.INVALID', `${what}[${index}] '${name}' ${rule}.`, {
        fix: 'Order the pipeline as: pair steps (resize, randomCrop, ...), then normalize, then pad.',
      });
    if (pad !== undefined) throw misplaced("comes after 'pad', which must be the last step");
    if (entry.stage === 'pad') {
      pad = entry.create(parsed);
    } else if (entry.stage === 'normalize') {
      if (sawNormalize) throw misplaced('appears twice');
      sawNormalize = true;
      output = entry.create(parsed);
    } else {
      if (sawNormalize) throw misplaced("comes after 'normalize', which works on the float output");
      steps.push(entry.create(parsed));
    }
  });
  return new SegmentationPipeline(steps, output, pad);
}
