import type { FlagSpec } from '../command-spec.js';

/**
 * @ltlab/core's BACKEND_CHOICES, repeated here because importing core loads zod, which `--help`
 * should not wait for (flags.spec.ts keeps the two lists equal).
 */
export const BACKENDS = ['auto', 'tensorflow', 'webgpu', 'native', 'wasm', 'cpu'] as const;

/** @ltlab/store's RUN_STATUSES, repeated for the same reason (checked by flags.spec.ts). */
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'stopped', 'cancelled'] as const;

export const jsonFlag: FlagSpec = {
  name: 'json',
  description: 'print the result as JSON (numbers as numbers, dates as ISO strings)',
};

export const backendFlag: FlagSpec = {
  name: 'backend',
  value: 'NAME',
  choices: BACKENDS,
  description: 'the TF.js backend (default LTLAB_BACKEND, else auto; `ltlab doctor` shows what loads)',
};
