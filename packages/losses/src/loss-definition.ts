import { LtlabError, parseOrThrow } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';

/** Whether a loss needs an input: not at all, if the trainer has it, or always. */
export type Need = 'no' | 'optional' | 'required';

/**
 * What the trainer must supply for a loss, as data: the trainer reads these fields and never
 * branches on a loss name. Every field names the `inputs` key it governs.
 */
export interface LossRequirements {
  /** Classifier logits `logits` [B, C] of the (query) view. */
  readonly logits: boolean;
  /** ResLT branch logits `logitsH`, `logitsM`, `logitsT` [B, C] from a branch-head backbone. */
  readonly branchLogits: boolean;
  /** Labels `labels` (int32). `optional` for SupCon: absent means SimCLR (instance positives). */
  readonly labels: Need;
  /**
   * Training images per class `classCounts` [C]. `optional` means the loss has a variant without
   * them (PaCo without counts is the balanced Full-ImageNet loss): supply them for long-tailed data.
   */
  readonly classCounts: Need;
  /** Per-class loss weights `classWeights` [C] (class-balanced, DRW); supplied when a recipe schedules them. */
  readonly classWeights: 'no' | 'optional';
  /** Embedding features `features`: none, rows L2-normalised, or raw (un-normalised) features. */
  readonly features: 'none' | 'normalized' | 'raw';
  /**
   * Row layout of `features`: `views` [B, V, d]; `query-key-queue` [2B+K, d] = [q; k; queue] with
   * labels [2B+K] = [y; y; queue labels]; `pixels` [P, d] with per-pixel labels [P].
   */
  readonly featureLayout: 'none' | 'views' | 'query-key-queue' | 'pixels';
  /** Two augmented views per image (query and key). */
  readonly twoViews: boolean;
  /** A momentum key encoder and a queue of past keys and labels (the K rows after [q; k]). */
  readonly momentumQueue: boolean;
  /** A frozen random region projection: `gainWeight` [H, d], `gainBias` [H], `clsWeight` [C, H], `clsBias` [C]. */
  readonly regionProjection: boolean;
}

/** The starting point each loss spreads and overrides: nothing needed. */
export const NOTHING_REQUIRED: LossRequirements = Object.freeze({
  logits: false,
  branchLogits: false,
  labels: 'no',
  classCounts: 'no',
  classWeights: 'no',
  features: 'none',
  featureLayout: 'none',
  twoViews: false,
  momentumQueue: false,
  regionProjection: false,
});

/** One input a loss reads: `float` is float32, `int` is int32, `count` accepts either. */
export interface InputSpec {
  readonly required: boolean;
  readonly dtype: 'float' | 'int' | 'count';
}

export type InputSpecs = Readonly<Record<string, InputSpec>>;

/** Tensors keyed by input name (the golden files' names); `null` or absent for an optional one. */
export type LossInputs = Readonly<Record<string, tf.Tensor | null | undefined>>;

/** The inputs a loss body receives after validation: required ones present, optional ones `null`. */
export type ResolvedInputs<S extends InputSpecs> = {
  readonly [K in keyof S]: S[K]['required'] extends true ? tf.Tensor : tf.Tensor | null;
};

/** A registry entry: the public contract every loss keeps. */
export interface LossDefinition<Schema extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** One line: what it is and where it comes from. */
  readonly summary: string;
  /** Options with their defaults; `compute` parses with it. */
  readonly schema: Schema;
  readonly requires: LossRequirements;
  /** Every input the loss reads, with dtype and whether it must be present. */
  readonly inputs: InputSpecs;
  /** The scalar loss. Parses `options`, validates `inputs`, leaks no tensors (the caller owns the result). */
  compute(inputs: LossInputs, options?: z.input<Schema>): tf.Scalar;
}

interface LossParts<Schema extends z.ZodType, S extends InputSpecs> {
  name: string;
  summary: string;
  schema: Schema;
  requires: LossRequirements;
  inputs: S;
  body: (inputs: ResolvedInputs<S>, options: z.output<Schema>) => tf.Scalar;
}

/** Builds a registry entry around a loss body: option parsing, input checks and `tidy`. */
export function defineLoss<Schema extends z.ZodType, const S extends InputSpecs>(
  parts: LossParts<Schema, S>,
): LossDefinition<Schema> {
  const { name, schema, inputs: specs, body } = parts;
  return {
    name,
    summary: parts.summary,
    schema,
    requires: parts.requires,
    inputs: specs,
    compute(inputs: LossInputs, options?: z.input<Schema>): tf.Scalar {
      const parsed = parseOrThrow(schema, options ?? {}, `loss '${name}' options`);
      const resolved = resolveInputs(name, specs, inputs);
      return tf.tidy(() => body(resolved, parsed));
    },
  };
}

function resolveInputs<S extends InputSpecs>(loss: string, specs: S, inputs: LossInputs): ResolvedInputs<S> {
  const issues: { path: string; message: string }[] = [];
  const out: Record<string, tf.Tensor | null> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = inputs[key] ?? null;
    if (value === null) {
      if (spec.required) issues.push({ path: `inputs.${key}`, message: 'required tensor is missing' });
      out[key] = null;
      continue;
    }
    if (!(value instanceof tf.Tensor)) {
      issues.push({ path: `inputs.${key}`, message: 'expected a tf.Tensor' });
      continue;
    }
    const allowed = spec.dtype === 'float' ? ['float32'] : spec.dtype === 'int' ? ['int32'] : ['int32', 'float32'];
    if (!allowed.includes(value.dtype)) {
      issues.push({ path: `inputs.${key}`, message: `expected dtype ${allowed.join(' or ')}, got ${value.dtype}` });
    }
    out[key] = value;
  }
  const unknown = Object.keys(inputs).filter((key) => !Object.hasOwn(specs, key) && inputs[key] != null);
  for (const key of unknown) {
    issues.push({
      path: `inputs.${key}`,
      message: `not an input of '${loss}' (it reads ${Object.keys(specs).join(', ')})`,
    });
  }
  if (issues.length > 0) throw inputError(loss, issues);
  return out as ResolvedInputs<S>;
}

/** CONFIG.INVALID for bad input tensors, in the same shape as `parseOrThrow`'s option errors. */
export function inputError(loss: string, issues: { path: string; message: string }[]): LtlabError {
  const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n');
  return new LtlabError('CONFIG.INVALID', `Invalid loss '${loss}' inputs:\n${lines}`, {
    fix: 'Pass the tensors listed above with the documented shapes and dtypes.',
    details: { issues },
  });
}

/**
 * Checks a tensor's shape against a pattern; a number pins a dimension, `null` accepts any size.
 * Throws CONFIG.INVALID naming the input and both shapes.
 */
export function expectShape(loss: string, key: string, tensor: tf.Tensor, pattern: readonly (number | null)[]): void {
  const shape = tensor.shape;
  const ok = shape.length === pattern.length && pattern.every((dim, i) => dim === null || dim === shape[i]);
  if (!ok) {
    const want = `[${pattern.map((dim) => (dim === null ? '*' : String(dim))).join(', ')}]`;
    throw inputError(loss, [{ path: `inputs.${key}`, message: `expected shape ${want}, got [${shape.join(', ')}]` }]);
  }
}

/** The size of dimension `axis`; shapes are checked first, so a missing axis is a bug. */
export function dim(tensor: tf.Tensor, axis: number): number {
  const size = tensor.shape[axis];
  if (size === undefined) throw new LtlabError('INTERNAL', `tensor of rank ${tensor.rank} has no axis ${axis}`);
  return size;
}
