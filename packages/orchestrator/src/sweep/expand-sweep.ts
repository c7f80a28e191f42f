import { parseRunConfig, type RunConfig, runConfigHash } from '@ltlab/config';
import { deriveSeed, LtlabError, Rng } from '@ltlab/core';
import { drawFromDistribution } from '../search/draw-distribution.js';
import type { SuggestionRecord } from '../search/suggestion-record.js';
import { isTpeSweep, planTpeRun, type TpeSweepSpec, tpeFixedPrefix } from '../search/tpe-run.js';
import { withPath } from './dotted-path.js';
import { describeOverrides } from './run-label.js';
import { sweepIdentityHash } from './sweep-identity.js';
import { assertSweepSize } from './sweep-size.js';
import type { SweepSpec } from './sweep-spec.js';
import { sweptLeaves } from './swept-leaves.js';

export interface ExpandedRun {
  /** `<sweep id>-<first 12 hex of the fingerprint>`: stable across resubmissions. */
  id: string;
  ordinal: number;
  fingerprint: string;
  config: RunConfig;
  /** The values this run sets on top of the base config, by dotted path. */
  overrides: Record<string, unknown>;
  label: string;
  /** For a run of a TPE sweep: how it was suggested (its id is then `<sweep id>-tpe<index>`). */
  suggestion?: SuggestionRecord;
}

export interface ExpandedSweep {
  id: string;
  /** What identifies the sweep: its spec without description, priority and maxRuns (sweep-identity.ts). */
  specHash: string;
  runs: ExpandedRun[];
  /**
   * The config leaves that differ between runs (`method.loss`, `method.options.s`), keyed as the
   * store's hyperparameter rows, so the dashboard and `runs show` can mark them.
   */
  sweptKeys: string[];
  /**
   * A TPE sweep: `runs` are only the suggestions that depend on no result (the start-up draws);
   * the rest are suggested as results come in, `count` runs in all.
   */
  search?: { algorithm: 'tpe'; count: number };
}

export interface ExpandOptions {
  /** Refuse a sweep of more runs than this before expanding it; default: the spec's maxRuns, else DEFAULT_MAX_RUNS. */
  maxRuns?: number;
  /**
   * The id of the stored sweep being expanded again (`sweep resume`): its runs keep the ids they
   * were stored with, even if the sweep was submitted by a version that hashed specs otherwise.
   */
  sweepId?: string;
}

/** At most this many invalid runs are listed in the error; the rest are counted. */
const MAX_LISTED_PROBLEMS = 20;

/**
 * The same expansion under the id of a stored sweep it extends (producer/extend-sweep.ts): every
 * run id is `<sweep id>-<fingerprint or tpe index>`, so only the prefix changes and nothing is
 * expanded or parsed again.
 */
export function underSweepId(expanded: ExpandedSweep, sweepId: string): ExpandedSweep {
  const rename = (id: string) => `${sweepId}${id.slice(expanded.id.length)}`;
  return { ...expanded, id: sweepId, runs: expanded.runs.map((run) => ({ ...run, id: rename(run.id) })) };
}

/**
 * Expands a sweep into its runs, deterministically: variants, grid combinations (first key
 * outermost), then random samples (sample i drawn from its own seeded stream), then replicates. Every run
 * config is validated; all invalid runs are reported together, each with its overrides.
 * Runs whose configs coincide (a random choice repeating, say) are kept once. The number of
 * runs is counted, and a sweep above the limit refused, before anything is expanded.
 */
export function expandSweep(
  spec: SweepSpec,
  base: Record<string, unknown>,
  options: ExpandOptions = {},
): ExpandedSweep {
  assertSweepSize(spec, options.maxRuns);
  const specHash = sweepIdentityHash(spec, base);
  const sweepId = options.sweepId ?? `${spec.name}-${specHash.slice(0, 8)}`;
  if (isTpeSweep(spec)) return expandTpePrefix(spec, base, sweepId, specHash);
  const variants = spec.variants.length === 0 ? [{ name: '', set: {} }] : spec.variants;
  const points = variants.flatMap((variant) =>
    crossGrid(spec.grid).flatMap((gridPoint) =>
      randomSamples(spec).map((sample) => ({
        point: { ...variant.set, ...gridPoint, ...sample },
        variant: variant.name,
      })),
    ),
  );
  const baseSeed = typeof base.seed === 'number' ? base.seed : 0;
  const seeds =
    typeof spec.replicates === 'number'
      ? Array.from({ length: spec.replicates }, (_, r) => baseSeed + r)
      : spec.replicates.seeds;
  const replicated =
    spec.replicates === 1
      ? points
      : points.flatMap(({ point, variant }) => seeds.map((seed) => ({ point: { ...point, seed }, variant })));

  const runs: ExpandedRun[] = [];
  // What each kept run's config says before parsing fills in defaults: swept keys come from these.
  const written: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  const problems: string[] = [];
  replicated.forEach(({ point: overrides, variant }, index) => {
    const shown = Object.fromEntries(
      Object.entries(overrides).filter(
        ([path]) => !(path in (spec.variants.find((v) => v.name === variant)?.set ?? {})),
      ),
    );
    const label = [variant, describeOverrides(shown, spec.random?.params)].filter((part) => part !== '').join(' ');
    let raw: Record<string, unknown> = base;
    for (const [path, value] of Object.entries(overrides)) raw = withPath(raw, path, value);
    let config: RunConfig;
    try {
      config = parseRunConfig(raw, `run ${index} (${label || 'base config'})`);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return;
    }
    const fingerprint = runConfigHash(config);
    if (seen.has(fingerprint)) return;
    seen.add(fingerprint);
    written.push(raw);
    runs.push({
      id: `${sweepId}-${fingerprint.slice(0, 12)}`,
      ordinal: runs.length,
      fingerprint,
      config,
      overrides,
      label,
    });
  });
  assertNoProblems(spec.name, problems);
  const specPaths = [
    ...new Set(spec.variants.flatMap((variant) => Object.keys(variant.set))),
    ...Object.keys(spec.grid),
    ...Object.keys(spec.random?.params ?? {}),
    ...(spec.replicates === 1 ? [] : ['seed']),
  ];
  // From the written configs, not the parsed ones: a default that only one loss has
  // (cross-entropy's labelSmoothing beside balanced softmax) is not something the sweep varies.
  const sweptKeys = sweptLeaves(written, specPaths);
  return { id: sweepId, specHash, runs, sweptKeys };
}

/**
 * A TPE sweep's suggestions that depend on no result (search/tpe-run.ts), each validated: a
 * search space that makes invalid configs is refused at submit, before anything is stored.
 */
function expandTpePrefix(
  spec: TpeSweepSpec,
  base: Record<string, unknown>,
  sweepId: string,
  specHash: string,
): ExpandedSweep {
  const plans = Array.from({ length: tpeFixedPrefix(spec) }, (_, index) => planTpeRun(spec, base, sweepId, index, []));
  assertNoProblems(
    spec.name,
    plans.flatMap((plan) => (plan.problem === null ? [] : [plan.problem])),
  );
  const runs: ExpandedRun[] = plans.map((plan) => ({
    id: plan.id,
    ordinal: plan.index,
    fingerprint: plan.configHash,
    config: plan.config as RunConfig,
    overrides: plan.overrides,
    label: plan.label,
    suggestion: plan.suggestion,
  }));
  const specPaths = [
    ...Object.keys(spec.variants[0]?.set ?? {}),
    ...Object.keys(spec.grid),
    ...Object.keys(spec.tpe.params),
  ];
  const sweptKeys = sweptLeaves(
    runs.map((run) => run.config),
    specPaths,
  );
  return { id: sweepId, specHash, runs, sweptKeys, search: { algorithm: 'tpe', count: spec.tpe.count } };
}

function assertNoProblems(name: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - listed.length;
  throw new LtlabError(
    'CONFIG.INVALID',
    `Sweep '${name}' has ${problems.length} invalid run(s):\n${listed.join('\n')}${more > 0 ? `\n... and ${more} more` : ''}`,
    {
      fix: 'Correct the base config or the swept values named above.',
    },
  );
}

function crossGrid(grid: Record<string, unknown[]>): Array<Record<string, unknown>> {
  let points: Array<Record<string, unknown>> = [{}];
  for (const [path, values] of Object.entries(grid)) {
    points = points.flatMap((point) => values.map((value) => ({ ...point, [path]: value })));
  }
  return points;
}

function randomSamples(spec: SweepSpec): Array<Record<string, unknown>> {
  const random = spec.random;
  if (random === undefined) return [{}];
  return Array.from({ length: random.count }, (_, i) => {
    const rng = new Rng(deriveSeed(random.seed, 'sweep-random', i));
    return Object.fromEntries(Object.entries(random.params).map(([path, d]) => [path, drawFromDistribution(rng, d)]));
  });
}
