/** `lr=0.05 loss=paco seed=1`: the last path segment and a short value. */
export function describeOverrides(overrides: Record<string, unknown>): string {
  return Object.entries(overrides)
    .map(([path, value]) => `${path.split('.').at(-1)}=${shortValue(value)}`)
    .join(' ');
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
