import type { LeafSpec } from '../command-spec.js';

/** Processes ltlab starts itself; hidden from lists and suggestions. */
export const trainChildSpec: LeafSpec = {
  name: 'train-child',
  summary: 'internal: the trainer a worker starts for each job (stdin: the job as JSON, stdout: events)',
  hidden: true,
  flags: [{ name: 'log-runs', description: 'also write a line to stderr when the run starts and when it ends' }],
  examples: ['ltlab train-child --log-runs < job.json'],
  run: async (input) => (await import('../commands/train-child.js')).trainChildCommand(input),
};

export const doctorChildSpec: LeafSpec = {
  name: 'doctor-child',
  summary: "internal: `ltlab doctor`'s probe (loads TF.js, the native addon and Dawn; stdout: one JSON report)",
  hidden: true,
  examples: ['ltlab doctor-child'],
  run: async () => (await import('../commands/doctor-child.js')).doctorChildCommand(),
};
