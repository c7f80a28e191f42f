import { canonicalJson, LtlabError } from '@ltlab/core';
import type { RunStatus, SweepRecord } from '@ltlab/store';
import { underSweepId } from '../sweep/expand-sweep.js';
import type { LoadedSweep } from '../sweep/load-sweep-file.js';
import type { SweepSpec } from '../sweep/sweep-spec.js';
import { type ProducerContext, type SubmitOptions, type SubmitResult, submitSweep } from './submit-sweep.js';

/** What submitting a sweep file did to the stored sweep of its name. */
export interface SweepExtension {
  /** The stored sweep's id before this submission changed its spec; null for a new sweep. */
  extended: string | null;
  /** Runs this submission created. */
  added: string[];
  /** Runs of the file that the sweep already had, with their status (succeeded ones are not trained again). */
  reused: { id: string; status: RunStatus }[];
  /** Runs of the sweep that the file no longer lists: kept as they are (`ltlab runs cancel` stops queued ones). */
  left: { id: string; label: string; status: RunStatus }[];
}

/**
 * What a sweep must keep to be extended rather than replaced: the same objective and early-stopping
 * rule (its runs' results must stay comparable) and the same kind of search. Grid values, variants,
 * seeds, random or TPE counts, description, priority and limits may change.
 */
const KEPT: ReadonlyArray<{ field: string; of: (spec: SweepSpec) => unknown }> = [
  { field: 'objective', of: (spec) => spec.objective },
  { field: 'earlyStopping', of: (spec) => spec.earlyStopping ?? null },
  {
    field: 'search',
    of: (spec) => (spec.tpe !== undefined ? 'tpe' : spec.random !== undefined ? 'random' : 'enumerated'),
  },
  {
    field: 'tpe',
    of: (spec) => {
      if (spec.tpe === undefined) return null;
      const { count: _grows, ...searchSpace } = spec.tpe;
      return searchSpace;
    },
  },
];

/**
 * Submits a sweep file, extending the stored sweep of the same name if there is one (as an
 * Optuna study is found by its name): the file's runs get that sweep's id, so a run whose
 * canonical config the sweep already has keeps its id and results and is not trained again,
 * and only new configurations are created and queued (docs/architecture.md §3). A changed
 * objective, early-stopping rule or kind of search is refused: that is another sweep, to be
 * given another name.
 */
export async function submitOrExtendSweep(
  ctx: ProducerContext,
  loaded: LoadedSweep,
  options: SubmitOptions = {},
): Promise<SubmitResult & SweepExtension> {
  const stored = await storedSweepNamed(ctx, loaded.spec.name);
  let effective = loaded;
  if (stored !== null && stored.id !== loaded.expanded.id) {
    assertExtendable(stored, loaded.spec);
    effective = { ...loaded, expanded: underSweepId(loaded.expanded, stored.id) };
  }
  const sweepId = effective.expanded.id;
  const before = new Map(
    stored === null ? [] : (await ctx.store.listRuns({ sweepId })).runs.map((run) => [run.id, run] as const),
  );
  const result = await submitSweep(ctx, effective, options);
  const listed = new Set(effective.expanded.runs.map((run) => run.id));
  const after = new Map((await ctx.store.listRuns({ sweepId })).runs.map((run) => [run.id, run] as const));
  return {
    ...result,
    extended: stored === null ? null : stored.id,
    added: [...after.keys()].filter((id) => !before.has(id)),
    reused: [...listed]
      .filter((id) => before.has(id))
      .map((id) => ({ id, status: (after.get(id) ?? before.get(id))?.status ?? 'queued' })),
    left: [...before.values()]
      .filter((run) => !listed.has(run.id))
      .map((run) => ({ id: run.id, label: run.label, status: after.get(run.id)?.status ?? run.status })),
  };
}

/** The most recent stored sweep called `name`, if any. */
async function storedSweepNamed(ctx: ProducerContext, name: string): Promise<SweepRecord | null> {
  const sweeps = await ctx.store.listSweeps();
  return sweeps.find((sweep) => sweep.name === name) ?? null;
}

function assertExtendable(stored: SweepRecord, spec: SweepSpec): void {
  const before = stored.spec as unknown as SweepSpec;
  for (const { field, of } of KEPT) {
    const was = canonicalJson(of(before) ?? null);
    const now = canonicalJson(of(spec) ?? null);
    if (was === now) continue;
    throw new LtlabError(
      'CONFIG.INVALID',
      `Sweep '${spec.name}' exists (${stored.id}) with another ${field}: ${was}; this file has ${now}.`,
      {
        fix: `Keep ${field} as it was to extend ${stored.id}, or give the sweep another name: to start a new sweep.`,
        details: { issues: [{ path: field, message: `differs from the stored sweep ${stored.id}` }] },
      },
    );
  }
}
