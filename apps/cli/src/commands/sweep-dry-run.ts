import { type ExpandedSweep, getPath } from '@ltlab/orchestrator';

/** What `sweep submit --dry-run` reports: the runs a sweep expands to, nothing stored or queued. */
export interface DryRun {
  dryRun: true;
  sweepId: string;
  name: string;
  /** How many runs (after dropping runs whose configs coincide). */
  runs: number;
  /** The config leaves whose values differ between the runs (`optimizer.lr`, `seed`). */
  sweptKeys: string[];
  expanded: Array<{ id: string; ordinal: number; label: string; values: Record<string, unknown> }>;
}

export function dryRun(name: string, expanded: ExpandedSweep): DryRun {
  return {
    dryRun: true,
    sweepId: expanded.id,
    name,
    runs: expanded.runs.length,
    sweptKeys: expanded.sweptKeys,
    expanded: expanded.runs.map((run) => ({
      id: run.id,
      ordinal: run.ordinal,
      label: run.label,
      values: Object.fromEntries(expanded.sweptKeys.map((key) => [key, getPath(run.config, key) ?? null])),
    })),
  };
}

/** The table rows of a dry run: number, label, one column per swept key, id. */
export function dryRunRows(report: DryRun): Array<Record<string, unknown>> {
  return report.expanded.map((run) => ({
    '#': run.ordinal,
    label: run.label === '' ? '(base config)' : run.label,
    ...Object.fromEntries(Object.entries(run.values).map(([key, value]) => [key, shown(value)])),
    id: run.id,
  }));
}

/** Numbers as written (1e-5 stays 0.00001, not a rounded 0.0000). */
function shown(value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? String(Number(value.toPrecision(6))) : value;
}
