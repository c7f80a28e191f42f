import type { Registry, RegistryEntry } from '@ltlab/core';
import type { z } from 'zod';
import { findComponent } from './find-component.js';
import { parseComponentOptions } from './parse-component-options.js';

/**
 * A component written as `{ name, ...options }` (a sampler, a transform step), parsed against
 * `registry`: the name at `path.name`, each option at `path.<key>`. Returns `{ name, ...filled }`,
 * or undefined after adding the issues.
 */
export function parseNamedComponent<E extends RegistryEntry>(
  ctx: z.RefinementCtx,
  path: readonly PropertyKey[],
  registry: Registry<E>,
  spec: { name: string },
): { name: string } | undefined {
  const { name, ...options } = spec;
  const entry = findComponent(ctx, [...path, 'name'], registry, name);
  if (entry === undefined) return undefined;
  const parsed = parseComponentOptions(ctx, path, entry.schema, options) as Record<string, unknown> | undefined;
  return parsed === undefined ? undefined : { name, ...parsed };
}
