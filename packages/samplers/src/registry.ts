import { LtlabError, parseOrThrow } from '@ltlab/core';
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
  name: string;
  schema: z.ZodType<Record<string, unknown>>;
  create(data: SamplerData, options: Record<string, unknown>): Sampler;
}

function entry<S extends z.ZodType<Record<string, unknown>>>(
  name: string,
  schema: S,
  create: (data: SamplerData, options: z.output<S>) => Sampler,
): SamplerEntry {
  return { name, schema, create: (data, options) => create(data, options as z.output<S>) };
}

const ENTRIES: readonly SamplerEntry[] = [
  entry(
    'instance-balanced',
    instanceBalancedOptionsSchema,
    (data, o) => new InstanceBalancedSampler(data.labels.length, o),
  ),
  entry('class-balanced', classBalancedOptionsSchema, (data, o) => new ClassBalancedSampler(indexOf(data), o)),
  entry('square-root', squareRootOptionsSchema, (data, o) => new SquareRootSampler(indexOf(data), o)),
  entry('progressive', progressiveOptionsSchema, (data, o) => new ProgressiveSampler(indexOf(data), o)),
];

function indexOf(data: SamplerData) {
  return buildClassIndex(data.labels, data.numClasses);
}

function buildRegistry(entries: readonly SamplerEntry[]): ReadonlyMap<string, SamplerEntry> {
  const map = new Map<string, SamplerEntry>();
  for (const e of entries) {
    if (map.has(e.name)) throw new LtlabError('INTERNAL', `Sampler '${e.name}' is registered twice.`);
    map.set(e.name, e);
  }
  return map;
}

export const SAMPLERS = buildRegistry(ENTRIES);

/** `{ name: 'class-balanced', seed: 1 }`: a sampler spec as it appears in a run config. */
export const samplerSpecSchema = z.looseObject({ name: z.string() });

export type SamplerSpec = z.infer<typeof samplerSpecSchema>;

/** Builds a sampler from its spec; the options are validated against the named sampler's schema. */
export function createSampler(spec: unknown, data: SamplerData): Sampler {
  const { name, ...options } = parseOrThrow(samplerSpecSchema, spec, 'sampler spec');
  const found = SAMPLERS.get(name);
  if (found === undefined) {
    throw new LtlabError('CONFIG.UNKNOWN_NAME', `Unknown sampler '${name}'.`, {
      fix: `Use one of: ${[...SAMPLERS.keys()].join(', ')}.`,
      details: { known: [...SAMPLERS.keys()] },
    });
  }
  return found.create(data, parseOrThrow(found.schema, options, `sampler '${name}' options`));
}
