import { runConfigSchema } from '@ltlab/config';
import { LtlabError } from '@ltlab/core';
import { resolveConfigPath, unknownKeysIn } from './config-shape.js';
import type { SweepSpec } from './sweep-spec.js';

/**
 * What a sweep says about the run config, checked against the run config's schema before any
 * run is expanded: the keys of the base config, and every path and value of `variants`, `grid`,
 * `random` and `tpe`. A misspelt path (`grid.optimizer.lrr`) would otherwise set a key the config
 * drops, and the sweep would train one run where it meant several. Component options
 * (`method.options.*`, `backbone.options.*`, a sampler's or a transform's keys) are open here;
 * their own schemas check them when the run config is parsed.
 *
 * Returns the problems, each starting with its path in the sweep file.
 */
export function sweepConfigProblems(spec: SweepSpec, base: Record<string, unknown>): string[] {
  const problems = unknownKeysIn([runConfigSchema], base, 'base');
  const check = (where: string, path: string, values: readonly unknown[], valuePath: (index: number) => string) => {
    const resolved = resolveConfigPath(runConfigSchema, path);
    if (!resolved.ok) {
      problems.push(`${where}: ${resolved.problem}`);
      return;
    }
    values.forEach((value, index) => {
      problems.push(...unknownKeysIn(resolved.schemas, value, valuePath(index)));
    });
  };
  spec.variants.forEach((variant, v) => {
    for (const [path, value] of Object.entries(variant.set)) {
      const where = `variants[${v}].set.${path}`;
      check(where, path, [value], () => where);
    }
  });
  for (const [path, values] of Object.entries(spec.grid)) {
    check(`grid.${path}`, path, values, (index) => `grid.${path}[${index}]`);
  }
  for (const search of ['random', 'tpe'] as const) {
    for (const [path, distribution] of Object.entries(spec[search]?.params ?? {})) {
      const values = distribution.distribution === 'choice' ? distribution.values : [];
      check(`${search}.params.${path}`, path, values, (index) => `${search}.params.${path}.values[${index}]`);
    }
  }
  return problems;
}

/** Throws CONFIG.INVALID listing every problem `sweepConfigProblems` finds. */
export function assertSweepConfigPaths(spec: SweepSpec, base: Record<string, unknown>, what: string): void {
  const problems = sweepConfigProblems(spec, base);
  if (problems.length === 0) return;
  throw new LtlabError(
    'CONFIG.INVALID',
    `Invalid ${what}: ${problems.length} key(s) the run config does not have:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    {
      fix: 'Use the run config field names (docs/architecture.md §5.1); options of a loss, backbone, sampler or transform go under its `options` or beside its `name`.',
      details: { problems },
    },
  );
}
