import type { FlagSpec, GroupSpec, LeafSpec } from '../command-spec.js';
import { jsonFlag, RUN_STATUSES } from './flags.js';

const sweep: FlagSpec = { name: 'sweep', value: 'ID', description: 'only the runs of this sweep' };
const status: FlagSpec = {
  name: 'status',
  value: 'S[,S]',
  description: `only runs in these states (${RUN_STATUSES.join(', ')})`,
};
const where: FlagSpec = {
  name: 'where',
  value: 'TERM',
  multiple: true,
  description:
    'a filter: KEY=VALUE, KEY>=N or KEY<=N on a hyperparameter (KEY a dotted config path), ' +
    'or SPLIT/METRIC>=N, SPLIT/METRIC<=N on the latest evaluation (METRIC top1, top5, many, medium or few, ' +
    'a fraction from 0 to 1: test/few>=0.5)',
};
/** `show` and `compare` take labels too; a label repeated across sweeps is picked within one. */
const labelSweep: FlagSpec = { name: 'sweep', value: 'ID', description: 'look labels up in this sweep only' };
const limit: FlagSpec = { name: 'limit', value: 'N', description: 'at most N runs' };

/** A `runs` subcommand, run by commands/runs.ts (loaded only when it runs). */
function runs(leaf: Omit<LeafSpec, 'run'> & { name: 'list' | 'show' | 'compare' | 'export' }): LeafSpec {
  return { ...leaf, run: async (input) => (await import('../commands/runs.js')).runsCommand(leaf.name, input) };
}

export const runsSpec: GroupSpec = {
  name: 'runs',
  summary: 'find and compare runs by any hyperparameter or metric',
  commands: [
    runs({
      name: 'list',
      summary: 'runs with id, label, status, epoch, top-1 and many/medium/few accuracy',
      flags: [sweep, status, where, limit, jsonFlag],
      examples: [
        'ltlab runs list --sweep fmnist-lt-small-methods-1a2b3c4d --status succeeded',
        'ltlab runs list --where method.loss=paco --where optimizer.lr>=0.05 --json',
        'ltlab runs list --where test/few>=0.5 --where test/top1<=0.7',
      ],
    }),
    runs({
      name: 'show',
      summary: 'one run: hyperparameters, evaluations, checkpoints on disk and what chose best.ckpt',
      args: [
        {
          name: 'run',
          description: 'a run id (`ltlab runs list` shows them) or a label that names one run',
        },
      ],
      flags: [labelSweep, jsonFlag],
      examples: [
        'ltlab runs show fmnist-lt-small-methods-1a2b3c4d-0123456789ab',
        'ltlab runs show --sweep fmnist-lt-small-methods-1a2b3c4d <label>',
      ],
    }),
    runs({
      name: 'compare',
      summary: 'two or more runs side by side: metrics, and the config keys that differ (as the dashboard)',
      args: [{ name: 'run', description: 'the runs to compare (two or more), by id or label', variadic: true }],
      flags: [labelSweep, jsonFlag],
      examples: ['ltlab runs compare <run-id> <run-id>', 'ltlab runs compare <run-id> <run-id> --json'],
    }),
    runs({
      name: 'export',
      summary: 'runs with every hyperparameter and final metrics, as CSV or JSON',
      flags: [
        sweep,
        status,
        where,
        limit,
        { name: 'format', value: 'FORMAT', choices: ['csv', 'json'], description: 'the file format (default csv)' },
        { name: 'output', value: 'FILE', description: 'write to FILE instead of stdout' },
      ],
      examples: ['ltlab runs export --sweep fmnist-lt-small-methods-1a2b3c4d --output runs.csv'],
    }),
    {
      name: 'cancel',
      summary:
        'cancel single runs: queued ones leave the queue, running ones stop at once (ended runs keep their status)',
      args: [{ name: 'run', description: 'the runs to cancel, by id or label', variadic: true }],
      flags: [labelSweep, jsonFlag],
      examples: [
        'ltlab runs cancel <run-id> <run-id>',
        'ltlab runs cancel --sweep fmnist-lt-small-methods-1a2b3c4d <label>',
      ],
      run: async (input) => (await import('../commands/runs-cancel.js')).runsCancel(input),
    },
  ],
};
