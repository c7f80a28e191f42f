import { LtlabError, parseOrThrow } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import { type LossRequirements, type Need, NOTHING_REQUIRED } from './schema/loss-requirements.js';
import type { LossSchemaEntry } from './schema/loss-schema-entry.js';

export { type LossRequirements, type Need, NOTHING_REQUIRED };

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

/** A registry entry: the public contract every loss keeps (its TF-free schema entry plus the computation). */
export interface LossDefinition<Schema extends z.ZodType = z.ZodType> extends LossSchemaEntry<Schema> {
  /** Every input the loss reads, with dtype and whether it must be present. */
  readonly inputs: InputSpecs;
  /** The scalar loss. Parses `options`, validates `inputs`, leaks no tensors (the caller owns the result). */
  compute(inputs: LossInputs, options?: z.input<Schema>): tf.Scalar;
}

interface LossParts<Schema extends z.ZodType, S extends InputSpecs> extends LossSchemaEntry<Schema> {
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
