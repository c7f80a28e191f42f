import { type ConfigDifference, configDiff, type RunRecord } from '@ltlab/store';

/** The config keys that differ between the runs, by the dashboard's rules (`configDiff`). */
export function runsConfigDiff(runs: readonly RunRecord[]): ConfigDifference[] {
  return configDiff(runs.map((run) => run.config));
}

/**
 * The differences as table rows: a key, then one column per run headed by its label (its id when
 * labels repeat). Values are printed as given, so 1e-5 is not rounded to 0.0000 and an absent key
 * reads `(absent)`, not the `-` of a null.
 */
export function diffRows(diff: readonly ConfigDifference[], runs: readonly RunRecord[]): Array<Record<string, string>> {
  const labels = runs.map((run) => run.label || run.id);
  const headers = new Set(labels).size === labels.length ? labels : runs.map((run) => run.id);
  return diff.map(({ key, values }) => ({
    key,
    ...Object.fromEntries(headers.map((header, i) => [header, formatValue(values[i])])),
  }));
}

function formatValue(value: ConfigDifference['values'][number]): string {
  if (value === undefined) return '(absent)';
  if (value === null) return 'null';
  return String(value);
}
