import type { FlagSpec, LeafSpec } from '../command-spec.js';
import { backendFlag } from './flags.js';

export const workerFlags: readonly FlagSpec[] = [
  { name: 'gpus', value: '0,1|all', description: 'one slot per GPU listed (a GPU node)' },
  { name: 'slots', value: 'N|all', description: 'N CPU slots, one pinned core each; all: one per core (default 1)' },
  { name: 'artifacts', value: 'DIR', description: 'where run directories go (default LTLAB_ARTIFACTS)' },
  backendFlag,
  {
    name: 'redis-timeout',
    value: 'SECONDS',
    description:
      'how long Redis may be unreachable, at start or later, before the worker exits with QUEUE.UNAVAILABLE (default LTLAB_REDIS_TIMEOUT_S, else 180)',
  },
];

export const workerSpec: LeafSpec = {
  name: 'worker',
  summary: 'train queued runs on this node (--gpus 0,1|all, or --slots N|all)',
  details:
    'Each slot trains one run at a time in a trainer process of its own and logs when a run starts and ends, with its result. Ctrl-C stops after the trainers checkpoint; their runs go back to the queue.',
  flags: workerFlags,
  examples: ['ltlab worker --gpus all', 'ltlab worker --slots 4 --backend native'],
  run: async (input) => (await import('../commands/worker.js')).workerCommand(input),
};
