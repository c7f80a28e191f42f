import { flattenConfig } from './flatten-config.js';
import type { JsonObject } from './run-store.js';

export interface ConfigDifference {
  key: string;
  /** One value per compared config, in order; undefined where a config lacks the key. */
  values: Array<string | number | boolean | null | undefined>;
}

/**
 * The flattened keys whose values are not the same in every config (missing counts as different).
 * Here so the dashboard's compare page and `ltlab runs compare` apply the same rules.
 */
export function configDiff(configs: readonly JsonObject[]): ConfigDifference[] {
  const flat = configs.map(
    (config) =>
      new Map(
        flattenConfig(config).map((param) => [
          param.key,
          param.valueType === 'number' || param.valueType === 'boolean'
            ? param.valueType === 'boolean'
              ? param.valueNum === 1
              : param.valueNum
            : param.valueText,
        ]),
      ),
  );
  const keys = [...new Set(flat.flatMap((map) => [...map.keys()]))].sort();
  return keys.flatMap((key) => {
    const values = flat.map((map) => (map.has(key) ? map.get(key) : undefined));
    // A key set to null and a key that is absent are different configs.
    const signature = (value: unknown) => (value === undefined ? 'absent' : `=${JSON.stringify(value)}`);
    const first = signature(values[0]);
    const differs = values.some((value) => signature(value) !== first);
    return differs ? [{ key, values }] : [];
  });
}
