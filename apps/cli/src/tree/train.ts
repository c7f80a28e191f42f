import type { LeafSpec } from '../command-spec.js';
import { backendFlag } from './flags.js';

export const trainSpec: LeafSpec = {
  name: 'train',
  summary: 'train one run here (no queue, no database)',
  details: `In a terminal it prints a line per epoch (loss, lr, images/s, elapsed, ETA) and a summary of each evaluation, under a bar of the epoch in progress. With --json, or when stdout is not a terminal, stdout carries the JSON event stream instead (one event per line, confusion matrices included) and the lines go to stderr.

Ctrl-C stops after the current step; --resume continues from the last checkpoint in --out.`,
  args: [{ name: 'config.yaml', description: 'the run config (YAML or JSON; `extends` allowed)' }],
  flags: [
    { name: 'out', value: 'DIR', description: 'the run directory for checkpoints (default runs/<run id>)' },
    { name: 'resume', description: 'continue from the last checkpoint in --out' },
    backendFlag,
    { name: 'run-id', value: 'ID', description: 'the run id in events and checkpoints (default: the config name)' },
    { name: 'json', description: 'the JSON event stream on stdout, also in a terminal' },
  ],
  examples: [
    'ltlab train configs/fashion-mnist-lt/small/paco.yaml --out runs/paco',
    'ltlab train configs/fashion-mnist-lt/small/quick.yaml --backend wasm --json > events.jsonl',
  ],
  run: async (input) => (await import('../commands/train.js')).trainCommand(input),
};
