import { z } from 'zod';

/**
 * Every sampler's `seed` option. Left out of a run config, it stays out of the parsed config (and
 * so of the run's fingerprint): the trainer then derives a seed from the run's seed for each stage.
 * A sampler built directly without one uses DEFAULT_SAMPLER_SEED.
 */
export const samplerSeedSchema = z.number().int().min(0).optional();

export const DEFAULT_SAMPLER_SEED = 0;
