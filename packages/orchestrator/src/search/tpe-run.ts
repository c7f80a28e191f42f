import { parseRunConfig, type RunConfig, runConfigHash } from '@ltlab/config';
import { canonicalHash } from '@ltlab/core';
import { withPath } from '../sweep/dotted-path.js';
import { describeOverrides } from '../sweep/run-label.js';
import type { SweepSpec } from '../sweep/sweep-spec.js';
import { type SuggestionRecord, suggestionTag } from './suggestion-record.js';
import { suggestTpe, type TpeResult } from './tpe-sampler.js';

/** A sweep spec with `tpe:`. */
export type TpeSweepSpec = SweepSpec & { tpe: NonNullable<SweepSpec['tpe']> };

export function isTpeSweep(spec: SweepSpec): spec is TpeSweepSpec {
  return spec.tpe !== undefined;
}

/** What suggestion `index` of a TPE sweep trains. */
export interface TpeRunPlan {
  /** `<sweep id>-tpe<index, 3 digits or more>`: one id per suggestion, so a suggestion is made once. */
  id: string;
  index: number;
  suggestion: SuggestionRecord;
  /** The values the search suggested, by dotted path. */
  suggestedParams: Record<string, unknown>;
  /** What the run sets on top of the base config: the sweep's fixed values, then the suggested ones. */
  overrides: Record<string, unknown>;
  /** `<variant> tpe #12 (11 results) alpha=0.3 temperature=0.07`. */
  label: string;
  /** The run config with defaults, or null when the suggested values make an invalid one (`problem`). */
  config: RunConfig | null;
  /** The config before parsing (what is stored for an invalid one). */
  raw: Record<string, unknown>;
  configHash: string;
  problem: string | null;
}

export function tpeRunId(sweepId: string, index: number): string {
  return `${sweepId}-tpe${String(index).padStart(3, '0')}`;
}

/**
 * Suggestion `index` of a TPE sweep given the results so far, as a run. A variant (at most one)
 * and one-value grid lists fix values for every run; the suggested values come on top.
 */
export function planTpeRun(
  spec: TpeSweepSpec,
  base: Record<string, unknown>,
  sweepId: string,
  index: number,
  results: readonly TpeResult[],
): TpeRunPlan {
  const { tpe } = spec;
  const suggested = suggestTpe({
    params: tpe.params,
    results,
    index,
    seed: tpe.seed,
    mode: spec.objective.mode,
    settings: {
      startup: tpe.startup,
      candidates: tpe.candidates,
      priorWeight: tpe.priorWeight,
      multivariate: tpe.multivariate,
    },
  });
  const variant = spec.variants[0];
  const overrides: Record<string, unknown> = {
    ...variant?.set,
    ...Object.fromEntries(Object.entries(spec.grid).map(([path, values]) => [path, values[0]])),
    ...suggested.params,
  };
  const suggestion: SuggestionRecord = {
    algorithm: suggested.algorithm,
    index,
    conditionedOn: suggested.conditionedOn,
  };
  const label = [variant?.name ?? '', suggestionTag(suggestion), describeOverrides(suggested.params, tpe.params)]
    .filter((part) => part !== '')
    .join(' ');
  let raw: Record<string, unknown> = base;
  for (const [path, value] of Object.entries(overrides)) raw = withPath(raw, path, value);
  let config: RunConfig | null = null;
  let problem: string | null = null;
  try {
    config = parseRunConfig(raw, `suggestion ${index} (${label})`);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  return {
    id: tpeRunId(sweepId, index),
    index,
    suggestion,
    suggestedParams: suggested.params,
    overrides,
    label,
    config,
    raw,
    configHash: config === null ? canonicalHash(raw) : runConfigHash(config),
    problem,
  };
}

/**
 * How many suggestions cannot depend on any result: those before `startup` results can be in
 * (suggestion i has at most i results), and always the first. `sweep submit` checks and shows these.
 */
export function tpeFixedPrefix(spec: TpeSweepSpec): number {
  return Math.min(spec.tpe.count, Math.max(spec.tpe.startup, 1));
}
