import { describe, expect, it } from 'vitest';
import { expectedCalibrationError } from './calibration.js';

describe('expectedCalibrationError', () => {
  it('is 0 for a perfectly calibrated set and |acc - conf| for one bin', () => {
    // Two samples at confidence 1, both right: ECE 0.
    expect(expectedCalibrationError({ numClasses: 2, data: [1, 0, 0, 1] }, [0, 1]).ece).toBe(0);
    // Four samples at confidence 0.75, three right: calibrated.
    const p = [0.75, 0.25, 0.75, 0.25, 0.75, 0.25, 0.75, 0.25];
    expect(expectedCalibrationError({ numClasses: 2, data: p }, [0, 0, 0, 1]).ece).toBeCloseTo(0, 12);
    // All wrong at 0.75: ECE 0.75.
    expect(expectedCalibrationError({ numClasses: 2, data: p }, [1, 1, 1, 1]).ece).toBeCloseTo(0.75, 12);
  });

  it('weights bins by their share of samples and takes logits through a softmax', () => {
    // Sample A: logits [0, ln 9] -> confidence 0.9, right. Sample B: [ln 3, 0] -> 0.75, wrong.
    const logits = [0, Math.log(9), Math.log(3), 0];
    const got = expectedCalibrationError({ numClasses: 2, data: logits }, [1, 1], { numBins: 10, fromLogits: true });
    expect(got.ece).toBeCloseTo(0.5 * Math.abs(1 - 0.9) + 0.5 * Math.abs(0 - 0.75), 12);
    expect(got.bins.filter((b) => b.count > 0).map((b) => b.upper)).toEqual([0.8, 0.9]);
  });
});
