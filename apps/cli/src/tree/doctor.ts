import type { LeafSpec } from '../command-spec.js';
import { jsonFlag } from './flags.js';

export const doctorSpec: LeafSpec = {
  name: 'doctor',
  summary:
    'which TF.js backends load here, why the others do not (with the fix), and what LTLAB_BACKEND=auto picks (exit 0 when one loads: cpu always does)',
  flags: [jsonFlag],
  examples: ['ltlab doctor', 'ltlab doctor --json'],
  run: async (input) => (await import('../commands/doctor.js')).doctorCommand(input),
};
