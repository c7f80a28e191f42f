import type { Registry, RegistryEntry } from '@ltlab/core';
import type { z } from 'zod';
import { parseNamedComponent } from './named-component.js';

type Step = { name: string } & Record<string, unknown>;

/**
 * Every step of a transform pipeline parsed against `registry` (steps are `{ name, ...options }`),
 * issues at `path[i].name` / `path[i].<key>`. Returns the steps with their defaults filled, or
 * undefined when a step is bad.
 */
export function parsePipelineComponents<E extends RegistryEntry>(
  ctx: z.RefinementCtx,
  path: readonly PropertyKey[],
  registry: Registry<E>,
  steps: readonly Step[],
): Step[] | undefined {
  const parsed = steps.map((step, i) => parseNamedComponent(ctx, [...path, i], registry, step) as Step | undefined);
  return parsed.every((step) => step !== undefined) ? (parsed as Step[]) : undefined;
}
