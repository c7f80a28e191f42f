/** One leaf of a run config, stored as a queryable hyperparameter row. */
export interface FlatParameter {
  key: string;
  valueType: 'number' | 'string' | 'boolean' | 'null' | 'json';
  valueNum: number | null;
  valueText: string | null;
}

/**
 * Flattens a config into dotted keys (`method.options.temperature`). Numbers keep a numeric
 * column for range filters; booleans are stored as 0/1 and 'true'/'false'; arrays stay whole
 * (as JSON text) because their elements mean nothing alone (milestones, crop sizes).
 */
export function flattenConfig(config: unknown, prefix = ''): FlatParameter[] {
  if (config === null || config === undefined) {
    return prefix === '' ? [] : [{ key: prefix, valueType: 'null', valueNum: null, valueText: null }];
  }
  if (typeof config === 'number') return [{ key: prefix, valueType: 'number', valueNum: config, valueText: null }];
  if (typeof config === 'string') return [{ key: prefix, valueType: 'string', valueNum: null, valueText: config }];
  if (typeof config === 'boolean') {
    return [{ key: prefix, valueType: 'boolean', valueNum: config ? 1 : 0, valueText: String(config) }];
  }
  if (Array.isArray(config)) {
    return [{ key: prefix, valueType: 'json', valueNum: null, valueText: JSON.stringify(config) }];
  }
  if (typeof config === 'object') {
    return Object.entries(config as Record<string, unknown>).flatMap(([key, value]) =>
      flattenConfig(value, prefix === '' ? key : `${prefix}.${key}`),
    );
  }
  return [{ key: prefix, valueType: 'string', valueNum: null, valueText: String(config) }];
}
