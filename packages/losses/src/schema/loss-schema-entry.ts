import type { z } from 'zod';
import type { LossRequirements } from './loss-requirements.js';

/**
 * A loss as data, without TensorFlow.js: the name a run config's `method.loss` uses, one line
 * saying what it is, its options schema (with defaults) and what the trainer must supply. The
 * control plane validates `method.options` with it at submit (docs/architecture.md §5.8); the
 * TF.js registry entry (`LossDefinition`) adds the computation to the same object.
 */
export interface LossSchemaEntry<Schema extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** One line: what it is and where it comes from. */
  readonly summary: string;
  /** Options with their defaults. */
  readonly schema: Schema;
  readonly requires: LossRequirements;
}

/** Declares a loss's schema entry, keeping the type of its options schema for `defineLoss`. */
export function defineLossSchema<Schema extends z.ZodType>(entry: LossSchemaEntry<Schema>): LossSchemaEntry<Schema> {
  return Object.freeze({ ...entry, requires: Object.freeze({ ...entry.requires }) });
}
