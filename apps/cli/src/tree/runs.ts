import type { FlagSpec, GroupSpec, LeafSpec } from '../command-spec.js';
import { flagsToArgv } from '../flags-to-argv.js';
import { jsonFlag, RUN_STATUSES } from './flags.js';

const sweep: FlagSpec = { name: 'sweep', value: 'ID', description: 'only the runs of this sweep' };
const status: FlagSpec = {
  name: 'status',
  value: 'S[,S]',
  description: `only runs in these states (${RUN_STATUSES.join(', ')})`,
};
const where: FlagSpec = {
  name: 'where',
  value: 'KEY=V',
  multiple: true,
  description: 'a hyperparameter filter: KEY=VALUE, KEY>=N or KEY<=N, KEY a dotted config path',
};
const limit: FlagSpec = { name: 'limit', value: 'N', description: 'at most N runs' };

/**
 * `runs` parses its own argv (commands/runs.ts); commander parses first for help and
 * suggestions, and the parse is handed over as an argv again.
 */
function runs(leaf: Omit<LeafSpec, 'run'>): LeafSpec {
  return {
    ...leaf,
    run: async (input) =>
      (await import('../commands/runs.js')).runsCommand([leaf.name, ...flagsToArgv(input, leaf.flags ?? [])]),
  };
}

export const runsSpec: GroupSpec = {
  name: 'runs',
  summary: 'find and compare runs by any hyperparameter',
  commands: [
    runs({
      name: 'list',
      summary: 'runs with status, epoch, top-1 and many/medium/few accuracy',
      flags: [sweep, status, where, limit, jsonFlag],
      examples: [
        'ltlab runs list --sweep fmnist-lt-small-methods-1a2b3c4d --status succeeded',
        'ltlab runs list --where method.loss=paco --where optimizer.lr>=0.05 --json',
      ],
    }),
    runs({
      name: 'show',
      summary: 'one run: hyperparameters, evaluations, checkpoints on disk and what chose best.ckpt',
      args: [{ name: 'run-id', description: 'the run (`ltlab runs list` shows ids)' }],
      flags: [jsonFlag],
      examples: ['ltlab runs show fmnist-lt-small-methods-1a2b3c4d-0123456789ab'],
    }),
    runs({
      name: 'compare',
      summary: 'two or more runs side by side',
      args: [{ name: 'run-id', description: 'the runs to compare (two or more)', variadic: true }],
      flags: [jsonFlag],
      examples: ['ltlab runs compare <run-id> <run-id>'],
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
  ],
};
