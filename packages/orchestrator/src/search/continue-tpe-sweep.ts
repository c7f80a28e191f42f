import { LtlabError, parseOrThrow } from '@ltlab/core';
import { FINAL_STATUSES, flattenConfig, type JsonObject, type RunRecord, type RunStore } from '@ltlab/store';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { enqueueStoredRun } from '../producer/enqueue-stored-run.js';
import type { RunJob } from '../queue/payloads.js';
import { keys, runJobOptions } from '../queue/run-queue.js';
import { getPath } from '../sweep/dotted-path.js';
import { sweepSpecSchema } from '../sweep/sweep-spec.js';
import { storedSuggestion, suggestionFingerprint } from './suggestion-record.js';
import { tpeInflightTarget } from './tpe-inflight.js';
import { isTpeSweep, planTpeRun, type TpeSweepSpec } from './tpe-run.js';
import type { TpeResult } from './tpe-sampler.js';

/** What continuing a search needs: the store, the runs queue, and Redis for the attempt counters. */
export interface SearchContext {
  store: RunStore;
  runs: Queue<RunJob>;
  redis: Redis;
  prefix: string;
}

export interface TpeProgress {
  sweepId: string;
  /** Runs the sweep will have in all. */
  count: number;
  /** Runs suggested so far (stored), those of this call included. */
  suggested: number;
  /** Runs this call suggested, in order. */
  created: string[];
  /** The queued-or-running target it filled up to (tpe-inflight.ts). */
  inflight: number;
}

export interface ContinueOptions {
  /** Overrides tpeInflightTarget. */
  inflight?: number;
  now?: Date;
}

/**
 * Brings a TPE sweep up to its in-flight target: while fewer than `inflight` of its runs are
 * queued or running and fewer than `count` exist, it suggests the next run from every result
 * in the store (search/tpe-run.ts), stores it and enqueues it. The producer calls it at submit,
 * the recorder whenever one of the sweep's runs ends. Safe to repeat and to race: suggestion i
 * has the id `<sweep>-tpe<i>` (the store takes it once, so never more than `count` runs), a
 * stored run is enqueued before the next is suggested, and a run stored but never enqueued (a
 * crash in between) is enqueued by the next call unless a worker's attempt counter shows it was
 * picked up. A cancelled sweep gets no new runs. Null for a sweep that is not a TPE sweep.
 */
export async function continueTpeSweep(
  ctx: SearchContext,
  sweepId: string,
  options: ContinueOptions = {},
): Promise<TpeProgress | null> {
  const sweep = await ctx.store.getSweep(sweepId);
  if (sweep === null || sweep.spec.tpe === undefined) return null;
  const spec = parseOrThrow(sweepSpecSchema, sweep.spec, `stored spec of sweep ${sweepId}`);
  if (!isTpeSweep(spec)) return null;
  if (typeof spec.base === 'string')
    throw new LtlabError(
      'CONFIG.INVALID',
      `Stored sweep ${sweepId} names its base config file instead of holding it.`,
      {
        fix: 'Submit the sweep file again with `ltlab sweep submit`: the producer stores the resolved base config.',
      },
    );
  const base = spec.base;
  const inflight = options.inflight ?? (await tpeInflightTarget(ctx.store, spec, options.now));
  const created: string[] = [];
  let { runs } = await ctx.store.listRuns({ sweepId });
  if (sweep.status === 'cancelled')
    return { sweepId, count: spec.tpe.count, suggested: runs.length, created, inflight };
  for (const run of runs) {
    if (
      run.status === 'queued' &&
      run.attempt === 0 &&
      (await ctx.redis.exists(keys.attempt(ctx.prefix, run.id))) === 0
    )
      await enqueueStoredRun(ctx.store, ctx.runs, run);
  }
  for (;;) {
    const open = runs.filter((run) => !FINAL_STATUSES.includes(run.status)).length;
    if (runs.length >= spec.tpe.count || open >= inflight) break;
    const taken = new Set(runs.map((run) => run.ordinal));
    let index = 0;
    while (taken.has(index)) index++;
    const results = tpeResults(spec, runs);
    const plan = planTpeRun(spec, base, sweepId, index, results);
    const config = JSON.parse(JSON.stringify(plan.config ?? plan.raw)) as JsonObject;
    const searched = Object.keys(spec.tpe.params);
    const input = {
      id: plan.id,
      sweepId,
      fingerprint: suggestionFingerprint(index),
      config,
      configHash: plan.configHash,
      label: plan.label,
      ordinal: index,
      sweptKeys: flattenConfig(config)
        .map((param) => param.key)
        .filter((key) => searched.some((path) => key === path || key.startsWith(`${path}.`))),
      suggestion: storedSuggestion(plan.suggestion, results, spec.objective.mode, plan.suggestedParams),
    };
    if (!(await addOnce(ctx.store, input))) break; // another caller is continuing this sweep
    created.push(plan.id);
    if (plan.config === null) {
      // The suggested values make an invalid config: the run fails visibly and the search goes on.
      await ctx.store.markRunFinished({
        runId: plan.id,
        attempt: 0,
        status: 'failed',
        errorCode: 'CONFIG.INVALID',
        errorMessage: plan.problem ?? 'invalid config',
        at: options.now ?? new Date(),
      });
    } else {
      await ctx.runs.add(
        'run',
        {
          runId: plan.id,
          sweepId,
          config: plan.config,
          configHash: plan.configHash,
          objective: spec.objective,
          ...(spec.earlyStopping === undefined ? {} : { earlyStopping: spec.earlyStopping }),
          ...(spec.maxConcurrency === undefined ? {} : { maxConcurrency: spec.maxConcurrency }),
        },
        runJobOptions(plan.id, sweep.priority),
      );
    }
    ({ runs } = await ctx.store.listRuns({ sweepId }));
  }
  return { sweepId, count: spec.tpe.count, suggested: runs.length, created, inflight };
}

/**
 * The results a TPE sweep conditions on: runs that succeeded, and runs its early-stopping rule
 * stopped (their objective at the epoch they stopped, which ranks them among the worse ones, as
 * Optuna ranks pruned trials), each with its searched values read back from its config.
 */
export function tpeResults(spec: TpeSweepSpec, runs: readonly RunRecord[]): TpeResult[] {
  return runs.flatMap((run) => {
    const counted = run.status === 'succeeded' || run.status === 'stopped';
    if (!counted || run.objective === null) return [];
    const params = Object.fromEntries(Object.keys(spec.tpe.params).map((path) => [path, getPath(run.config, path)]));
    return [{ index: run.ordinal, params, value: run.objective }];
  });
}

/** True when this call stored the run; false when it exists already (a racing caller made it). */
async function addOnce(store: RunStore, input: Parameters<RunStore['addRuns']>[0][number]): Promise<boolean> {
  try {
    const { created } = await store.addRuns([input]);
    return created.length === 1;
  } catch (error) {
    if ((await store.getRun(input.id)) !== null) return false;
    throw error;
  }
}
