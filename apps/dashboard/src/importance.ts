/**
 * Hyperparameter importance as the correlation ratio η² (the share of the objective's variance
 * explained by the parameter's groups), the quantity fANOVA reports for a single parameter's
 * main effect. Numeric parameters with many distinct values are binned into quantiles first, so
 * a random search does not give every run its own group (which would make η² = 1).
 */
export interface ImportanceInput {
  value: string | number | boolean | null;
  objective: number;
}

export interface ParameterImportance {
  key: string;
  importance: number;
  groups: number;
  n: number;
}

export const MAX_GROUPS = 10;

export function correlationRatio(points: readonly ImportanceInput[]): { eta2: number; groups: number } {
  if (points.length < 2) return { eta2: 0, groups: points.length };
  const labels = groupLabels(points.map((p) => p.value));
  const mean = points.reduce((sum, p) => sum + p.objective, 0) / points.length;
  const total = points.reduce((sum, p) => sum + (p.objective - mean) ** 2, 0);
  const sums = new Map<string, { sum: number; n: number }>();
  points.forEach((point, index) => {
    const label = labels[index] ?? '';
    const group = sums.get(label) ?? { sum: 0, n: 0 };
    group.sum += point.objective;
    group.n += 1;
    sums.set(label, group);
  });
  let between = 0;
  for (const group of sums.values()) between += group.n * (group.sum / group.n - mean) ** 2;
  return { eta2: total === 0 ? 0 : Math.min(1, between / total), groups: sums.size };
}

function groupLabels(values: ReadonlyArray<string | number | boolean | null>): string[] {
  const distinct = new Set(values.map((v) => JSON.stringify(v)));
  const numeric = values.every((v) => typeof v === 'number');
  if (!numeric || distinct.size <= MAX_GROUPS) return values.map((v) => JSON.stringify(v));
  const sorted = (values as number[]).slice().sort((a, b) => a - b);
  const edges = Array.from(
    { length: MAX_GROUPS - 1 },
    (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / MAX_GROUPS)] ?? 0,
  );
  return (values as number[]).map((v) => String(edges.filter((edge) => v >= edge).length));
}

export function parameterImportance(
  keys: readonly string[],
  rows: ReadonlyArray<{ values: Record<string, string | number | boolean | null>; objective: number | null }>,
): ParameterImportance[] {
  const scored = rows.filter((row): row is typeof row & { objective: number } => row.objective !== null);
  return keys
    .map((key) => {
      const { eta2, groups } = correlationRatio(
        scored.map((row) => ({ value: row.values[key] ?? null, objective: row.objective })),
      );
      return { key, importance: eta2, groups, n: scored.length };
    })
    .sort((a, b) => b.importance - a.importance);
}
