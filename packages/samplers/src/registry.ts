import { defineRegistry, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import { ClassBalancedSampler, classBalancedOptionsSchema } from './class-balanced.js';
import { buildClassIndex } from './class-index.js';
import { InstanceBalancedSampler, instanceBalancedOptionsSchema } from './instance-balanced.js';
import { ProgressiveSampler, progressiveOptionsSchema } from './progressive.js';
import type { Sampler } from './sampler.js';
import { SquareRootSampler, squareRootOptionsSchema } from './square-root.js';

/** What a sampler is built from: the training labels (and the class count when some are absent). */
export interface SamplerData {
  labels: ArrayLike<number>;
  numClasses?: number;
}

export interface SamplerEntry {
  readonly name: string;
  /** One line: how it draws and where it comes from. */
  readonly summary: string;
  /** The options beside `name` in a run config's sampler spec, with their defaults. */
  readonly schema: z.ZodType<Record<string, unknown>>;
  create(data: SamplerData, options: Record<string, unknown>): Sampler;
}

function entry<S extends z.ZodType<Record<string, unknown>>>(
  name: string,
  summary: string,
  schema: S,
  create: (data: SamplerData, options: z.output<S>) => Sampler,
): SamplerEntry {
  return { name, summary, schema, create: (data, options) => create(data, options as z.output<S>) };
}

function indexOf(data: SamplerData) {
  return buildClassIndex(data.labels, data.numClasses);
}

/** Every sampler, by the name a run config's `sampler.name` uses. */
export const samplerRegistry = defineRegistry<SamplerEntry>('sampler', [
  entry(
    'instance-balanced',
    'every image once per epoch in a shuffled order: class j drawn with probability n_j / N',
    instanceBalancedOptionsSchema,
    (data, o) => new InstanceBalancedSampler(data.labels.length, o),
  ),
  entry(
    'class-balanced',
    'a class from a shuffled cycle of the classes, then one of its images (Shen et al. 2016; Kang et al. 2020)',
    classBalancedOptionsSchema,
    (data, o) => new ClassBalancedSampler(indexOf(data), o),
  ),
  entry(
    'square-root',
    'class j drawn with probability n_j^q / sum_i n_i^q, q = 1/2 (Mahajan et al. 2018)',
    squareRootOptionsSchema,
    (data, o) => new SquareRootSampler(indexOf(data), o),
  ),
  entry(
    'progressive',
    'from instance- to class-balanced as the epoch goes from 0 to totalEpochs (Kang et al. 2020, eq. 2)',
    progressiveOptionsSchema,
    (data, o) => new ProgressiveSampler(indexOf(data), o),
  ),
]);

/** The samplers by name, as a read-only map (the shape this export had before the registry). */
export const SAMPLERS: ReadonlyMap<string, SamplerEntry> = samplerRegistry.byName;

/** `{ name: 'class-balanced', seed: 1 }`: a sampler spec as it appears in a run config. */
export const samplerSpecSchema = z.looseObject({ name: z.string() });

export type SamplerSpec = z.infer<typeof samplerSpecSchema>;

/** Builds a sampler from its spec; the options are validated against the named sampler's schema. */
export function createSampler(spec: unknown, data: SamplerData): Sampler {
  const { name, ...options } = parseOrThrow(samplerSpecSchema, spec, 'sampler spec');
  const found = samplerRegistry.get(name);
  return found.create(data, parseOrThrow(found.schema, options, `sampler '${name}' options`));
}
