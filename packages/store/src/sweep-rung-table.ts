import { z } from 'zod';
import type { RunStore, SweepRecord } from './run-store.js';
import type { EarlyStoppingRule, RungTable } from './rung-table.js';
import { rungTable } from './rung-table-replay.js';

/**
 * The `earlyStopping:` section as the orchestrator's sweep-spec.ts parses it; the store keeps the
 * parsed spec, defaults filled, but reads it here through its own schema (zod at the edge).
 */
const earlyStoppingSchema = z.discriminatedUnion('rule', [
  z.object({
    rule: z.literal('median'),
    minEpochs: z.number().int().min(1).default(3),
    minRuns: z.number().int().min(1).default(3),
  }),
  z.object({
    rule: z.literal('asha'),
    gracePeriod: z.number().int().min(1).default(1),
    reductionFactor: z.number().int().min(2).default(3),
  }),
]);

/** The sweep's early-stopping rule, or null when it has none (or one this store cannot read). */
export function earlyStoppingOf(sweep: Pick<SweepRecord, 'spec'>): EarlyStoppingRule | null {
  const parsed = earlyStoppingSchema.safeParse(sweep.spec.earlyStopping);
  return parsed.success ? parsed.data : null;
}

/**
 * A sweep's rung table (ASHA) or per-epoch medians (median rule) from its recorded objective
 * values, or null for a sweep without early stopping. `sweep status` and the sweep page show it.
 */
export async function sweepRungTable(
  store: Pick<RunStore, 'listObjectivePoints'>,
  sweep: Pick<SweepRecord, 'id' | 'spec' | 'objectiveMetric' | 'objectiveMode'>,
): Promise<RungTable | null> {
  const rule = earlyStoppingOf(sweep);
  if (rule === null) return null;
  // `<split>/<metric>`, as the sweep spec's objective is written (a run's eval is checked the same way).
  const cut = sweep.objectiveMetric.indexOf('/');
  const split = sweep.objectiveMetric.slice(0, cut);
  const name = sweep.objectiveMetric.slice(cut + 1);
  const points = cut < 0 ? [] : await store.listObjectivePoints(sweep.id, split, name);
  return rungTable(rule, { metric: sweep.objectiveMetric, mode: sweep.objectiveMode }, points);
}
