import { type Registry, type RegistryEntry, unknownNameError } from '@ltlab/core';
import type { z } from 'zod';

/**
 * The registry entry a config names, or undefined after an issue at `path` with the registry's
 * own message: `Unknown loss 'pac0'; did you mean 'paco'? Known losses: ...`.
 */
export function findComponent<E extends RegistryEntry>(
  ctx: z.RefinementCtx,
  path: readonly PropertyKey[],
  registry: Registry<E>,
  name: string,
): E | undefined {
  const entry = registry.find(name);
  if (entry === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: [...path],
      message: unknownNameError(registry.kind, name, registry.names()).message,
    });
  }
  return entry;
}
