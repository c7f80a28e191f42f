import { describe, expect, it } from 'vitest';
import { epochAxis, plannedEpochs } from './epoch-axis.js';
import type { RunRecord } from './run-store.js';

const run = (config: RunRecord['config'], lastEpoch: number | null) => ({ config, lastEpoch }) as RunRecord;

describe('epochAxis', () => {
  it('spans 1 to the planned epochs, later stages included', () => {
    expect(plannedEpochs({ epochs: 8 })).toBe(8);
    expect(plannedEpochs({ epochs: 6, stages: [{ name: 'crt', epochs: 2 }] })).toBe(8);
    expect(epochAxis({ run: run({ epochs: 8 }, 3), metrics: [], evaluations: [] })).toEqual({ min: 1, max: 8 });
  });

  it('falls back to the last epoch recorded for a config without a plan', () => {
    expect(plannedEpochs({ schedule: { epochs: 8 } })).toBeNull();
    const evaluations = [{ runId: 'r', split: 'val', epoch: 5, top1: 0.5 }];
    expect(epochAxis({ run: run({}, 4), metrics: [], evaluations })).toEqual({ min: 1, max: 5 });
    expect(epochAxis({ run: run({}, null), metrics: [], evaluations: [] })).toEqual({ min: 1, max: 1 });
  });
});
