import { canonicalHash } from '@ltlab/core';
import type { SweepSpec } from './sweep-spec.js';

/**
 * Fields that say how to show or schedule a sweep, not what it trains: editing them and
 * submitting again updates the stored sweep (and the priority of its waiting jobs) instead of
 * creating a new sweep with new runs of the same configs.
 */
const PRESENTATION_FIELDS = ['description', 'priority', 'maxRuns'] as const;

/**
 * The hash that identifies a sweep (docs/architecture.md §3): the canonical JSON of its spec,
 * base config resolved, without the presentation fields. The sweep id is
 * `<name>-<first 8 hex>`, so the name stays part of the identity.
 */
export function sweepIdentityHash(spec: SweepSpec, base: Record<string, unknown>): string {
  const identity: Record<string, unknown> = { ...spec, base };
  for (const field of PRESENTATION_FIELDS) delete identity[field];
  return canonicalHash(identity);
}
