import { deriveSeed, LtlabError, parseOrThrow, Rng } from '@ltlab/core';
import { z } from 'zod';
import type { Image } from '../image.js';
import { transformEntry } from './registry.js';
import type { ImageTransform, OutputNormalization } from './transform.js';

/** A pipeline as data: `[{ name: 'randomCrop', size: 32, padding: 4 }, ..., { name: 'normalize', preset: 'cifar' }]`. */
export const pipelineSpecSchema = z.array(z.looseObject({ name: z.string() }));

/** One pipeline, or several views of each image (`{ views: [query, key] }` for contrastive methods). */
export const transformSpecSchema = z.union([
  pipelineSpecSchema,
  z.strictObject({ views: z.array(pipelineSpecSchema).min(1) }),
]);

export type PipelineSpec = z.input<typeof pipelineSpecSchema>;
export type TransformSpec = z.input<typeof transformSpecSchema>;

/** A compiled pipeline: uint8 steps, then the float conversion. */
export class Pipeline {
  readonly steps: readonly ImageTransform[];
  readonly output: OutputNormalization;

  constructor(steps: readonly ImageTransform[], output: OutputNormalization) {
    this.steps = steps;
    this.output = output;
  }

  /** The augmented uint8 image. */
  run(image: Image, rng: Rng): Image {
    let out = image;
    for (const step of this.steps) out = step.apply(out, rng);
    return out;
  }

  /** Writes `image` as normalised float32 HWC into `target` at `offset`. */
  writeFloat(image: Image, target: Float32Array, offset: number): void {
    const C = image.channels;
    const scale = new Float32Array(C);
    const shift = new Float32Array(C);
    for (let c = 0; c < C; c++) {
      const { mean, std } = channelStats(this.output, c, C);
      scale[c] = 1 / (255 * std);
      shift[c] = mean / std;
    }
    const { data } = image;
    for (let i = 0; i < data.length; i++) {
      const c = i % C;
      target[offset + i] = (data[i] as number) * (scale[c] as number) - (shift[c] as number);
    }
  }
}

/** Mean and std of channel c of a `channels`-channel image (one value for all, or a colour preset on gray). */
export function channelStats(output: OutputNormalization, c: number, channels: number): { mean: number; std: number } {
  const { mean, std } = output;
  if (mean.length === 1) return { mean: mean[0] as number, std: std[0] as number };
  if (mean.length === channels) return { mean: mean[c] as number, std: std[c] as number };
  if (channels === 1) {
    // A colour preset on a gray image: the average statistics.
    const avg = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    return { mean: avg(mean), std: avg(std) };
  }
  throw new LtlabError(
    'CONFIG.INVALID',
    `normalize has ${mean.length} channel values for a ${channels}-channel image.`,
  );
}

/** Parses and compiles one pipeline; every entry's options are validated by its schema. */
export function compilePipeline(spec: unknown, what = 'transform pipeline'): Pipeline {
  const entries = parseOrThrow(pipelineSpecSchema, spec, what);
  const steps: ImageTransform[] = [];
  let output: OutputNormalization = { mean: [0], std: [1] };
  entries.forEach(({ name, ...options }, index) => {
    const entry = transformEntry(name);
    const parsed = parseOrThrow(entry.schema, options, `${what}[${index}] '${name}' options`);
    if (entry.stage === 'output') {
      if (index !== entries.length - 1) {
        throw new LtlabError('CONFIG.INVALID', `${what}[${index}] '${name}' must be the last step.`, {
          fix: `Move '${name}' to the end of the pipeline.`,
        });
      }
      output = entry.create(parsed);
    } else {
      steps.push(entry.create(parsed));
    }
  });
  return new Pipeline(steps, output);
}

/** Compiles a transform spec into one pipeline per view. */
export function compileViews(spec: unknown): Pipeline[] {
  const parsed = parseOrThrow(transformSpecSchema, spec, 'transform spec');
  if (Array.isArray(parsed)) return [compilePipeline(parsed)];
  return parsed.views.map((view, v) => compilePipeline(view, `transform views[${v}]`));
}

/**
 * The generator of one sample's view. Derived from (seed, epoch, position in the epoch's order,
 * view), never from worker scheduling, so any number of workers gives the same batches; a sample
 * drawn twice in an epoch gets two different augmentations.
 */
export function sampleRng(seed: number, epoch: number, position: number, view: number): Rng {
  return new Rng(deriveSeed(seed, 'transform', epoch, position, view));
}
