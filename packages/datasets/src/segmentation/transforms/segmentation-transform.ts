import { LtlabError, parseOrThrow, type Rng } from '@ltlab/core';
import type { z } from 'zod';
import type { OutputNormalization } from '../../transforms/transform.js';
import type { SegmentationSample } from '../label-map.js';

/**
 * One augmentation step on an (image, label map) pair: geometric steps move both the same way
 * (the label with nearest-neighbour sampling, never blending class ids), photometric steps touch
 * the image only. All randomness comes from `rng`; inputs are never modified.
 */
export interface SegmentationTransform {
  readonly name: string;
  apply(sample: SegmentationSample, rng: Rng): SegmentationSample;
}

/** Padding of the float output to a fixed size (mmseg's Pad, which runs after Normalize). */
export interface PadSpec {
  /** Exact output [height, width]; the sample must not be larger. */
  size: [number, number] | undefined;
  /** Or: pad height and width up to the next multiple of this. */
  sizeDivisor: number | undefined;
  /** Image value of padded pixels, in the normalised space (mmseg: 0, i.e. the mean colour). */
  padValue: number;
  /** Label of padded pixels (the ignore index). */
  labelPadValue: number;
}

/** What every segmentation transform entry has: its pipeline name, one line on what it does, its options. */
interface SegmentationTransformEntryBase {
  readonly name: string;
  readonly summary: string;
  readonly schema: z.ZodType;
}

export type SegmentationTransformEntry =
  | (SegmentationTransformEntryBase & { readonly stage: 'pair'; create(options: unknown): SegmentationTransform })
  | (SegmentationTransformEntryBase & { readonly stage: 'normalize'; create(options: unknown): OutputNormalization })
  | (SegmentationTransformEntryBase & { readonly stage: 'pad'; create(options: unknown): PadSpec });

/** A registry entry of a pair transform; `apply` receives the parsed options. */
export function pairTransform<S extends z.ZodType>(
  name: string,
  summary: string,
  schema: S,
  apply: (options: z.output<S>, sample: SegmentationSample, rng: Rng) => SegmentationSample,
): SegmentationTransformEntry {
  return {
    name,
    summary,
    stage: 'pair',
    schema,
    create: (options) => ({ name, apply: (sample, rng) => apply(options as z.output<S>, sample, rng) }),
  };
}

/** Validates `options` and builds a pair step from its entry (for code that composes steps itself). */
export function createPairTransform(entry: SegmentationTransformEntry, options: unknown): SegmentationTransform {
  if (entry.stage !== 'pair') {
    throw new LtlabError('CONFIG.INVALID', `'${entry.name}' is an output step, not a pair transform.`, {
      fix: 'Put it in a pipeline: compileSegmentationPipeline([...]).',
    });
  }
  return entry.create(parseOrThrow(entry.schema, options, `'${entry.name}' options`));
}
