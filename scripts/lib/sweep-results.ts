/**
 * What the results-table scripts read from the store: a finished sweep's runs with their variant,
 * seed, last test evaluation and wall time, and how its numbers are written into a README. The
 * tables come from ltlab's own sweeps, recorded in its store (LTLAB_HOME or DATABASE_URL, as for
 * `ltlab`), never from a side channel.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { openRunStore, type RunDetail } from '@ltlab/store';

export interface SweepRunResult {
  id: string;
  /** The variant's name: the first word of the run's label (`ldam-drw seed=1`). */
  variant: string;
  seed: number;
  /** The run's last evaluation on the test split. */
  test: RunDetail['evaluations'][number];
  /** From the run's start to its end. */
  seconds: number;
  /** `native (CPU: ...)` shortened to the backend's name. */
  backend: string;
}

export interface SweepResults {
  runs: SweepRunResult[];
  /** From the first run queued to the last run finished. */
  sweepSeconds: number;
}

/** Reads every run of a sweep; refuses a sweep with runs that have not all succeeded. */
export async function readSweepResults(sweepId: string): Promise<SweepResults> {
  const store = await openRunStore();
  try {
    const { runs } = await store.listRuns({ sweepId, orderBy: 'ordinal' });
    if (runs.length === 0) throw new Error(`no runs of sweep ${sweepId} in this store (LTLAB_HOME / DATABASE_URL)`);
    const results: SweepRunResult[] = [];
    for (const run of runs) {
      if (run.status !== 'succeeded' || run.startedAt === null || run.finishedAt === null) {
        throw new Error(`run ${run.id} (${run.label}) is ${run.status}: wait for the sweep to finish`);
      }
      const detail = await store.getRunDetail(run.id);
      const test = detail?.evaluations.filter((e) => e.split === 'test').at(-1);
      if (test === undefined) throw new Error(`run ${run.id} (${run.label}) has no test evaluation`);
      results.push({
        id: run.id,
        variant: run.label.split(' ')[0] ?? run.label,
        seed: Number(run.config.seed),
        test,
        seconds: (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000,
        backend: (run.backend ?? '?').split(' (')[0] as string,
      });
    }
    const queued = Math.min(...runs.map((run) => run.queuedAt.getTime()));
    const finished = Math.max(...runs.map((run) => run.finishedAt?.getTime() ?? Number.NaN));
    return { runs: results, sweepSeconds: (finished - queued) / 1000 };
  } finally {
    await store.close();
  }
}

/** Mean ± sample standard deviation in percent; values a run lacks (a shot group without classes) are left out and counted. */
export function meanStd(xs: ReadonlyArray<number | null | undefined>): string {
  const known = xs.filter((x): x is number => typeof x === 'number');
  if (known.length === 0) return '–';
  const mean = known.reduce((a, b) => a + b, 0) / known.length;
  const variance = known.length > 1 ? known.reduce((a, b) => a + (b - mean) ** 2, 0) / (known.length - 1) : 0;
  const missing = known.length < xs.length ? ` (${known.length} of ${xs.length})` : '';
  return `${(100 * mean).toFixed(2)} ± ${(100 * Math.sqrt(variance)).toFixed(2)}${missing}`;
}

/** The variants in the order their first run appears. */
export function variantsOf(runs: readonly SweepRunResult[]): string[] {
  return [...new Set(runs.map((run) => run.variant))];
}

/** Replaces what lies between `<!-- results:<key> -->` and `<!-- /results:<key> -->` in a file. */
export function writeBetweenMarkers(file: string, key: string, content: string): void {
  const begin = `<!-- results:${key} -->`;
  const end = `<!-- /results:${key} -->`;
  const text = readFileSync(file, 'utf8');
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`${file} lacks the ${begin} ... ${end} markers`);
  writeFileSync(file, `${text.slice(0, from + begin.length)}\n${content}\n${text.slice(to)}`);
}
