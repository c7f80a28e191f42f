import type { LeafSpec } from '../command-spec.js';
import { serveFlags } from './serve.js';
import { workerFlags } from './worker.js';

export const upSpec: LeafSpec = {
  name: 'up',
  summary: 'serve + worker on this machine',
  details: 'Logs each run that starts and ends, with its label and result. Ctrl-C stops both.',
  flags: [...workerFlags, ...serveFlags],
  examples: ['ltlab up --slots all', 'ltlab up --gpus all --port 8080'],
  run: async (input) => (await import('../commands/up.js')).upCommand(input),
};
