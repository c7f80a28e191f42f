import type { RunRecord } from '@ltlab/store';
import { describe, expect, it } from 'vitest';
import { watchLine } from './sweep-watch.js';

function run(overrides: Partial<RunRecord>): RunRecord {
  return {
    id: 's-0123',
    label: 'lr=0.1',
    attempt: 1,
    config: { epochs: 6, stages: [{ name: 'crt', epochs: 2 }] },
    startedAt: new Date(0),
    lastEpoch: 2,
    ...overrides,
  } as RunRecord;
}

describe('sweep status --wait live line', () => {
  it('epoch k/N with N from the config (stages included) and an ETA from the pace so far', () => {
    expect(watchLine(run({}), 60_000)).toEqual({ label: 'lr=0.1', fraction: 0.25, suffix: 'epoch 2/8  ETA 3:00' });
  });

  it('no ETA before the first epoch; the id when there is no label; the attempt when retried', () => {
    expect(watchLine(run({ lastEpoch: null, label: '', attempt: 2 }), 60_000)).toEqual({
      label: 's-0123',
      fraction: 0,
      suffix: 'epoch 0/8  attempt 2  ETA -',
    });
  });
});
