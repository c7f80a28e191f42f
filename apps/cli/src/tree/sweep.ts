import type { GroupSpec } from '../command-spec.js';
import { jsonFlag } from './flags.js';

/**
 * @ltlab/orchestrator's DEFAULT_MAX_RUNS, repeated here because the tree must not load the
 * orchestrator for `--help` (tests/bad-inputs/sweep-files.spec.ts keeps the two equal).
 */
export const SWEEP_DEFAULT_MAX_RUNS = 10_000;

const sweepId = { name: 'sweep-id', description: 'the id `sweep submit` printed (`ltlab sweep list` shows them)' };

export const sweepSpec: GroupSpec = {
  name: 'sweep',
  summary: 'describe, submit and follow sweeps',
  commands: [
    {
      name: 'submit',
      summary:
        'validate and expand a sweep file, store its runs and queue them (nothing is stored if anything is invalid)',
      details: `Submitting the same sweep again adds no runs and never trains a succeeded run twice; editing only its description or priority updates the sweep (and moves its waiting runs to the new priority). Unknown keys, in the sweep file or in the run config it names, are errors. A sweep of more than ${SWEEP_DEFAULT_MAX_RUNS.toLocaleString('en-US')} runs (maxRuns: in the file, or --max-runs) is refused before it is expanded. --dry-run expands it without Redis or the database: the run count, each run and the values that differ between runs.`,
      args: [{ name: 'sweep.yaml', description: 'the sweep file (YAML or JSON)' }],
      flags: [
        {
          name: 'dry-run',
          description:
            'print the runs it expands to (count, labels, what differs); touch neither Redis nor the database',
        },
        {
          name: 'max-runs',
          value: 'N',
          description: `refuse the sweep if it expands to more than N runs (default: the file's maxRuns, else ${SWEEP_DEFAULT_MAX_RUNS})`,
        },
        jsonFlag,
      ],
      examples: [
        'ltlab sweep submit configs/sweeps/paco-temperature.yaml --dry-run',
        'ltlab sweep submit configs/sweeps/paco-temperature.yaml',
      ],
      run: async (input) => (await import('../commands/sweep.js')).sweepSubmit(input),
    },
    {
      name: 'status',
      summary: 'counts by status, each run with top-1 and many/medium/few accuracy, the best run',
      details:
        'Exits 1 when a run failed. --wait follows the sweep until nothing is queued or running; in a terminal it shows a live line per running run (epoch k/N, ETA).',
      args: [sweepId],
      flags: [{ name: 'wait', description: 'wait until no run is queued or running' }, jsonFlag],
      examples: ['ltlab sweep status fmnist-lt-small-methods-1a2b3c4d --wait'],
      run: async (input) => (await import('../commands/sweep.js')).sweepStatus(input),
    },
    {
      name: 'list',
      summary: 'every sweep with its runs counted by status',
      flags: [jsonFlag],
      examples: ['ltlab sweep list', 'ltlab sweep list --json'],
      run: async (input) => (await import('../commands/sweep.js')).sweepList(input),
    },
    {
      name: 'cancel',
      summary: 'cancel the queued and running runs of a sweep (running trainers stop after their step)',
      args: [sweepId],
      flags: [jsonFlag],
      examples: ['ltlab sweep cancel fmnist-lt-small-methods-1a2b3c4d'],
      run: async (input) => (await import('../commands/sweep.js')).sweepCancel(input),
    },
    {
      name: 'resume',
      summary: 'queue the unfinished runs of a sweep again',
      args: [sweepId],
      flags: [
        { name: 'retry-failed', description: 'queue failed and cancelled runs too (stopped runs stay stopped)' },
        jsonFlag,
      ],
      examples: ['ltlab sweep resume fmnist-lt-small-methods-1a2b3c4d --retry-failed'],
      run: async (input) => (await import('../commands/sweep.js')).sweepResume(input),
    },
  ],
};
