import type { Rng } from '@ltlab/core';
import type { Distribution } from '../sweep/sweep-spec.js';

/**
 * One value drawn from a sweep distribution: uniform in [min, max), log-uniform (uniform in log
 * space), an integer in [min, max] or one of the choices, each value equally likely. `random:`
 * samples and TPE's start-up suggestions draw with it.
 */
export function drawFromDistribution(rng: Rng, d: Distribution): unknown {
  switch (d.distribution) {
    case 'uniform':
      return rng.uniform(d.min, d.max);
    case 'log-uniform':
      return Math.exp(rng.uniform(Math.log(d.min), Math.log(d.max)));
    case 'int':
      return rng.int(d.min, d.max + 1);
    case 'choice':
      return rng.choice(d.values);
  }
}
