import { type ForestImportance, forestImportance } from './importance/forest-importance.js';

/**
 * Hyperparameter importance as the correlation ratio η² (the share of the objective's variance
 * explained by the parameter's groups), the quantity fANOVA reports for a single parameter's
 * main effect. Numeric parameters with many distinct values are binned into quantiles first, so
 * a random search does not give every run its own group.
 *
 * η² compares the spread between groups with the spread within them, so it needs a group with
 * more than one run: with one run per value the within-group spread is zero by construction and
 * η² is 1 whatever the parameter does. Then, and with a single group, importance is `null` with a
 * note saying why, and every result carries its groups with their n so a reader can judge η²
 * from 2 + 1 runs for what it is.
 *
 * Beside η², `model` is a random forest's permutation importance over all parameters at once
 * (importance/forest-importance.ts), computed only when there are enough runs for it to hold up.
 */
export type ImportanceValue = string | number | boolean | null;

export interface ImportanceInput {
  /** `null` also stands for a run whose config lacks the leaf (a variant that does not set it). */
  value: ImportanceValue;
  objective: number;
}

export interface ImportanceGroup {
  /** The value, `—` for runs without one, or a quantile bin's range `min–max`. */
  value: string;
  n: number;
  /** Mean objective of the group's runs. */
  mean: number;
}

export interface ParameterImportance {
  key: string;
  /** η² in [0, 1], or null when it cannot be estimated (`note` says why). */
  importance: number | null;
  note: string | null;
  groups: number;
  /** Runs with an objective. */
  n: number;
  perGroup: ImportanceGroup[];
  /** The model-based importance (a share of the forest's), with its own n and note. */
  model: ForestImportance;
}

export const MAX_GROUPS = 10;
export const NO_OBJECTIVE = 'no run has an objective yet';
export const ONE_RUN_PER_VALUE = 'one run per value: importance cannot be estimated';
export const ONE_VALUE = 'every run with an objective has the same value: importance cannot be estimated';

export interface CorrelationRatio {
  eta2: number | null;
  note: string | null;
  groups: number;
  perGroup: ImportanceGroup[];
}

export function correlationRatio(points: readonly ImportanceInput[]): CorrelationRatio {
  const perGroup = groupPoints(points);
  const result = { groups: perGroup.length, perGroup };
  if (points.length === 0) return { ...result, eta2: null, note: NO_OBJECTIVE };
  if (perGroup.length === 1) return { ...result, eta2: null, note: ONE_VALUE };
  if (perGroup.every((group) => group.n === 1)) return { ...result, eta2: null, note: ONE_RUN_PER_VALUE };
  const mean = points.reduce((sum, p) => sum + p.objective, 0) / points.length;
  const total = points.reduce((sum, p) => sum + (p.objective - mean) ** 2, 0);
  const between = perGroup.reduce((sum, group) => sum + group.n * (group.mean - mean) ** 2, 0);
  return { ...result, eta2: total === 0 ? 0 : Math.min(1, between / total), note: null };
}

/** The groups η² compares, in display order: `—` first, then values (numbers ascending) or bins. */
function groupPoints(points: readonly ImportanceInput[]): ImportanceGroup[] {
  const values = points.map((p) => p.value);
  const present = values.filter((v) => v !== null);
  const numeric = present.every((v) => typeof v === 'number');
  const binned = numeric && new Set(present).size > MAX_GROUPS;
  const edges = binned ? quantileEdges(present as number[]) : [];
  const groups = new Map<string, { value: string; order: number; n: number; sum: number; min: number; max: number }>();
  points.forEach(({ value, objective }) => {
    const bin = binned && typeof value === 'number' ? edges.filter((edge) => value >= edge).length : -1;
    const id = value === null ? 'null' : binned ? `bin ${bin}` : JSON.stringify(value);
    const order = value === null ? -Infinity : binned ? bin : numeric ? Number(value) : groups.size;
    const group = groups.get(id) ?? { value: label(value), order, n: 0, sum: 0, min: Infinity, max: -Infinity };
    group.n += 1;
    group.sum += objective;
    if (typeof value === 'number') {
      group.min = Math.min(group.min, value);
      group.max = Math.max(group.max, value);
    }
    groups.set(id, group);
  });
  return [...groups.values()]
    .sort((a, b) => a.order - b.order)
    .map((g) => ({
      value: binned && g.order !== -Infinity ? `${label(g.min)}–${label(g.max)}` : g.value,
      n: g.n,
      mean: g.sum / g.n,
    }));
}

function quantileEdges(values: number[]): number[] {
  const sorted = values.slice().sort((a, b) => a - b);
  return Array.from(
    { length: MAX_GROUPS - 1 },
    (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / MAX_GROUPS)] ?? 0,
  );
}

function label(value: ImportanceValue): string {
  if (value === null) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  return String(value);
}

/**
 * Every key's η² and model-based importance over the runs with an objective, ordered by η² (most
 * important first, unestimable ones last) as before the model-based value was added.
 */
export function parameterImportance(
  keys: readonly string[],
  rows: ReadonlyArray<{ values: Record<string, ImportanceValue>; objective: number | null }>,
): ParameterImportance[] {
  const scored = rows.filter((row): row is typeof row & { objective: number } => row.objective !== null);
  const model = forestImportance(keys, scored);
  return keys
    .map((key) => {
      const { eta2, note, groups, perGroup } = correlationRatio(
        scored.map((row) => ({ value: row.values[key] ?? null, objective: row.objective })),
      );
      const forest = model.get(key) as ForestImportance;
      return { key, importance: eta2, note, groups, n: scored.length, perGroup, model: forest };
    })
    .sort((a, b) => (b.importance ?? -1) - (a.importance ?? -1));
}
