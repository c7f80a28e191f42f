/**
 * Class-balanced weights from the effective number of samples: Cui et al., "Class-Balanced Loss
 * Based on Effective Number of Samples", CVPR 2019, Eq. 3 and Sec. 4:
 *   E_n = (1 - beta^n) / (1 - beta),  w_c = 1 / E_{n_c},  normalised so that sum_c w_c = C.
 * beta = 0 gives uniform weights (DRW before its switch epoch); beta -> 1 approaches 1/n_c.
 */
import { LtlabError } from '@ltlab/core';

/** Effective-number weights for `classCounts`, computed in float64 and normalised to sum to C. */
export function classBalancedWeights(classCounts: readonly number[], beta: number): number[] {
  if (!(beta >= 0 && beta < 1)) {
    throw new LtlabError('CONFIG.INVALID', `classBalancedWeights: beta must be in [0, 1), got ${beta}`, {
      fix: 'Use beta = 0 for uniform weights, or a value such as 0.9999 (the LDAM-DRW default).',
      details: { issues: [{ path: 'beta', message: 'must be in [0, 1)' }] },
    });
  }
  const issues = classCounts.flatMap((count, c) =>
    Number.isInteger(count) && count > 0
      ? []
      : [{ path: `classCounts[${c}]`, message: `must be a positive integer, got ${count}` }],
  );
  if (classCounts.length === 0) issues.push({ path: 'classCounts', message: 'must list at least one class' });
  if (issues.length > 0) {
    const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n');
    throw new LtlabError('CONFIG.INVALID', `classBalancedWeights: invalid class counts:\n${lines}`, {
      fix: 'Pass the number of training images of every class; each class needs at least one.',
      details: { issues },
    });
  }
  const raw = classCounts.map((count) => (1 - beta) / (1 - beta ** count));
  const total = raw.reduce((sum, w) => sum + w, 0);
  return raw.map((w) => (w / total) * classCounts.length);
}
