import { canonicalJson } from '@ltlab/core';
import type { Distribution } from './sweep-spec.js';

/**
 * `lr=0.05 loss=paco seed=1`: the last path segment and a short value; a value drawn from a
 * choice with `labels` shows its label (an object or a list would fill the label otherwise).
 */
export function describeOverrides(
  overrides: Record<string, unknown>,
  distributions: Record<string, Distribution> = {},
): string {
  return Object.entries(overrides)
    .map(([path, value]) => `${path.split('.').at(-1)}=${choiceLabel(distributions[path], value) ?? shortValue(value)}`)
    .join(' ');
}

function choiceLabel(distribution: Distribution | undefined, value: unknown): string | undefined {
  if (distribution?.distribution !== 'choice' || distribution.labels === undefined) return undefined;
  const text = canonicalJson(value);
  const index = distribution.values.findIndex((choice) => canonicalJson(choice) === text);
  return index < 0 ? undefined : distribution.labels[index];
}

function shortValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const named = ['name', 'loss', 'type']
      .map((k) => (value as Record<string, unknown>)[k])
      .find((v) => typeof v === 'string');
    if (typeof named === 'string') return named;
  }
  return JSON.stringify(value);
}
