import { parseOrThrow } from '@ltlab/core';
import { z } from 'zod';

const adapterIndexSchema = z.coerce.number().int().min(0).max(63);
const flagSchema = z.enum(['0', '1', 'true', 'false']);

/**
 * Reads `LTLAB_WEBGPU_ADAPTER`: the index of the hardware adapter to train on, in the order Dawn
 * lists them (the worker sets it to the slot's GPU index). Undefined when unset (the first one).
 */
export function webgpuAdapterFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.LTLAB_WEBGPU_ADAPTER;
  if (raw === undefined || raw === '') return undefined;
  return parseOrThrow(
    adapterIndexSchema,
    raw,
    'LTLAB_WEBGPU_ADAPTER',
    'Set LTLAB_WEBGPU_ADAPTER to the index of a GPU (0 for the first); `ltlab doctor` lists them.',
  );
}

/**
 * Reads `LTLAB_WEBGPU_ALLOW_SOFTWARE`: whether a software adapter (Mesa's lavapipe, SwiftShader)
 * may be used. Off by default: such an adapter is for correctness tests, hundreds of times slower
 * than the native CPU backend.
 */
export function webgpuAllowSoftwareFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env.LTLAB_WEBGPU_ALLOW_SOFTWARE;
  if (raw === undefined || raw === '') return false;
  const value = parseOrThrow(
    flagSchema,
    raw,
    'LTLAB_WEBGPU_ALLOW_SOFTWARE',
    'Set LTLAB_WEBGPU_ALLOW_SOFTWARE to 1 (allow a software adapter) or 0.',
  );
  return value === '1' || value === 'true';
}
