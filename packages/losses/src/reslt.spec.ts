import { isLtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKENDS, close, useBackend } from './__fixtures__/backends.js';
import { logSoftmaxRow, mean, thrown } from './__fixtures__/reference-math.js';
import { getLoss } from './registry.js';

const C = 6;
const LABELS = [0, 2, 5, 3, 1];
const logitsOf = (seed: number) =>
  LABELS.map((_, b) => Array.from({ length: C }, (_, c) => Math.sin(seed + b * 1.3 + c * 0.7) * 2));
const [ZH, ZM, ZT] = [logitsOf(1), logitsOf(2), logitsOf(3)];

/** The iNat two-branch form in float64: (sum ce(zH) + sum wM ce(zM)) / (B + sum wM), fused zH + zM. */
function twoBranchReference(beta: number, medium: [number, number]): number {
  const ce = (row: number[], y: number) => -Math.log(Math.exp(logSoftmaxRow(row)[y] as number) + 1e-7);
  let numerator = 0;
  let denominator = 0;
  LABELS.forEach((y, b) => {
    const inMedium = y >= medium[0] && y < medium[1] ? 1 : 0;
    numerator += ce(ZH[b] as number[], y) + inMedium * ce(ZM[b] as number[], y);
    denominator += 1 + inMedium;
  });
  const fused = mean(
    LABELS.map((y, b) => -(logSoftmaxRow((ZH[b] as number[]).map((v, c) => v + (ZM[b]?.[c] as number)))[y] as number)),
  );
  return beta * (numerator / denominator) + (1 - beta) * fused;
}

describe.each(BACKENDS)('reslt on %s', (backend) => {
  useBackend(backend);
  const reslt = getLoss('reslt');
  const inputs = (withTail: boolean) => ({
    logitsH: tf.tensor2d(ZH as number[][]),
    logitsM: tf.tensor2d(ZM as number[][]),
    logitsT: withTail ? tf.tensor2d(ZT as number[][]) : null,
    labels: tf.tensor1d(LABELS, 'int32'),
  });

  it('has the two-branch iNat form, which ignores logitsT', () => {
    tf.tidy(() => {
      const options = { beta: 0.85, mediumTailRange: [0, 3] as [number, number], branches: 2 as const };
      const loss = reslt.compute(inputs(false), options).dataSync()[0] as number;
      expect(close(loss, twoBranchReference(0.85, [0, 3]))).toBe(true);
      expect(reslt.compute(inputs(true), options).dataSync()[0]).toBe(loss);
    });
  });

  it('needs logitsT and tailRange with three branches', () => {
    tf.tidy(() => {
      const noTail = thrown(() => reslt.compute(inputs(false), { mediumTailRange: [2, 6], tailRange: [4, 6] }));
      expect(isLtlabError(noTail) && noTail.code).toBe('CONFIG.INVALID');
      expect(String(noTail)).toContain('inputs.logitsT');
      const noRange = thrown(() => reslt.compute(inputs(true), { mediumTailRange: [2, 6] }));
      expect(isLtlabError(noRange) && noRange.code).toBe('CONFIG.INVALID');
      expect(String(noRange)).toContain('tailRange');
    });
  });

  it('sends every branch its gradient, and no gradient to a branch whose group is absent', () => {
    tf.tidy(() => {
      const headOnly = { ...inputs(true), labels: tf.tensor1d([0, 1, 0, 1, 1], 'int32') };
      const f = (h: tf.Tensor, m: tf.Tensor, t: tf.Tensor) =>
        reslt.compute(
          { ...headOnly, logitsH: h, logitsM: m, logitsT: t },
          { beta: 1, mediumTailRange: [2, 6], tailRange: [4, 6] },
        );
      const [dH, dM, dT] = tf.grads(f)([headOnly.logitsH, headOnly.logitsM, headOnly.logitsT as tf.Tensor]);
      expect(tf.max(tf.abs(dH as tf.Tensor)).dataSync()[0]).toBeGreaterThan(0);
      expect(tf.max(tf.abs(dM as tf.Tensor)).dataSync()[0]).toBe(0);
      expect(tf.max(tf.abs(dT as tf.Tensor)).dataSync()[0]).toBe(0);
    });
  });
});
