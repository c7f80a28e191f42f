import { isLtlabError } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { flatten, readGolden, toleranceViolations } from './__fixtures__/golden.js';
import { thrown } from './__fixtures__/reference-math.js';
import { classBalancedWeights } from './class-balanced-weights.js';

describe('classBalancedWeights', () => {
  it.each(readGolden('class_balanced_weights').cases.map((c) => [c.name, c] as const))(
    'matches the golden weights of %s',
    (_name, goldenCase) => {
      const counts = flatten(goldenCase.inputs.classCounts ?? []);
      const weights = classBalancedWeights(counts, goldenCase.options.beta as number);
      const expected = flatten(goldenCase.expected.weights as number[]);
      expect(toleranceViolations(weights, expected, { rtol: 1e-12, atol: 1e-12 })).toEqual([]);
      expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(counts.length, 10);
    },
  );

  it('gives rarer classes larger weights', () => {
    const weights = classBalancedWeights([1000, 100, 10], 0.999);
    expect(weights[0]).toBeLessThan(weights[1] as number);
    expect(weights[1]).toBeLessThan(weights[2] as number);
  });

  it('rejects beta outside [0, 1) and empty or non-positive counts, naming the field', () => {
    const badBeta = thrown(() => classBalancedWeights([10, 5], 1));
    expect(isLtlabError(badBeta) && badBeta.code).toBe('CONFIG.INVALID');
    expect(String(badBeta)).toContain('beta');
    expect(String(thrown(() => classBalancedWeights([10, 0, 3], 0.9)))).toContain('classCounts[1]');
    expect(String(thrown(() => classBalancedWeights([], 0.9)))).toContain('classCounts');
  });
});
