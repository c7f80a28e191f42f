import { flattenConfig } from '@ltlab/store';

/**
 * The config leaves a sweep varies: every dotted key, as the store flattens configs into
 * hyperparameter rows, whose value differs between two of the runs. A leaf that some runs lack
 * (LDAM's `method.options.s` beside cross-entropy) differs too. Swept paths in the spec are not
 * enough: a variant that sets `method: {...}` names no stored key, and would mark nothing.
 *
 * Order: by the first spec path (`specPaths`, in spec order) that the leaf lies under, then by
 * first appearance in the runs' configs; leaves under no spec path (defaults that depend on a
 * swept value) come last.
 */
export function sweptLeaves(configs: readonly unknown[], specPaths: readonly string[]): string[] {
  const leaves = new Map<string, { value: string; runs: number; differs: boolean }>();
  for (const config of configs) {
    for (const param of flattenConfig(config)) {
      const value = JSON.stringify([param.valueType, param.valueNum, param.valueText]);
      const seen = leaves.get(param.key);
      if (seen === undefined) leaves.set(param.key, { value, runs: 1, differs: false });
      else {
        seen.runs += 1;
        seen.differs ||= seen.value !== value;
      }
    }
  }
  const swept = [...leaves].filter(([, leaf]) => leaf.differs || leaf.runs < configs.length).map(([key]) => key);
  const rank = (leaf: string) => {
    const index = specPaths.findIndex((path) => leaf === path || leaf.startsWith(`${path}.`));
    return index === -1 ? specPaths.length : index;
  };
  // Array.prototype.sort is stable, so first appearance decides within one spec path.
  return swept.sort((a, b) => rank(a) - rank(b));
}
