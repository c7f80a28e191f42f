import type { LeafSpec } from '../command-spec.js';
import { backendFlag, jsonFlag } from './flags.js';

export const evalSpec: LeafSpec = {
  name: 'eval',
  summary: "evaluate a saved checkpoint on a run's test set (or another), and record it",
  details: `Given a run id or label, it reads the run's config from the store and its checkpoint under the artifact root (LTLAB_ARTIFACTS): best.ckpt, or the newest epoch file with --checkpoint last. Given a checkpoint file, it reads the config.json the trainer wrote in the run directory above it (or the config stored for the run that directory is named after).

It prints top-1 and many/medium/few (mIoU, aAcc and head/body/tail IoU for a segmentation run) and records them as an evaluation of the run on split eval-test (eval-<file name> with --data) at the checkpoint's epoch, beside the training evaluations and without changing the run's objective. --no-record only prints.`,
  args: [{ name: 'run-or-checkpoint', description: 'a run id or label, or a .ckpt file' }],
  flags: [
    {
      name: 'checkpoint',
      value: 'WHICH',
      choices: ['best', 'last'],
      description: 'for a run: best.ckpt (default) or the newest epoch checkpoint',
    },
    {
      name: 'data',
      value: 'CONFIG',
      description: "evaluate on the test set of this config file's data: block instead of the run's",
    },
    { name: 'no-record', description: 'only print; record nothing in the store' },
    { name: 'sweep', value: 'ID', description: 'pick a label within this sweep' },
    backendFlag,
    jsonFlag,
  ],
  examples: [
    'ltlab eval paco-cifar100-1a2b3c4d-0123456789ab',
    'ltlab eval paco-cifar100-1a2b3c4d-0123456789ab --checkpoint last --no-record --json',
    'ltlab eval runs/paco/checkpoints/epoch-00008.ckpt --data configs/fashion-mnist-lt/small/quick.yaml',
  ],
  run: async (input) => (await import('../commands/eval.js')).evalCommand(input),
};
