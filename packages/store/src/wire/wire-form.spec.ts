import { describe, expect, it } from 'vitest';
import type { RunRecord } from './records.js';
import type { Wire } from './wire-form.js';

const run: RunRecord = {
  id: 'r1',
  sweepId: null,
  fingerprint: 'f',
  config: { method: { loss: 'paco', options: { temperature: 0.05 } }, tags: ['a', 1] },
  configHash: 'c',
  label: 'paco',
  ordinal: 0,
  status: 'running',
  attempt: 1,
  node: 'n1',
  slot: '0',
  backend: null,
  errorCode: null,
  errorMessage: null,
  gitCommit: null,
  gitDirty: null,
  queuedAt: new Date('2026-01-01T00:00:00Z'),
  startedAt: new Date('2026-01-01T00:01:00Z'),
  finishedAt: null,
  heartbeatAt: null,
  lastEpoch: 3,
  objective: null,
  suggestion: null,
};

describe('Wire<T>: a store value as the HTTP API sends it', () => {
  it('is what JSON makes of the value: dates as ISO text, the rest as it was', () => {
    // The annotation is the check: Wire<RunRecord> must accept what JSON gives back.
    const sent: Wire<RunRecord> = JSON.parse(JSON.stringify(run)) as Wire<RunRecord>;
    const expected: Wire<RunRecord> = {
      ...run,
      queuedAt: '2026-01-01T00:00:00.000Z',
      startedAt: '2026-01-01T00:01:00.000Z',
      finishedAt: null,
      heartbeatAt: null,
    };
    expect(sent).toEqual(expected);
  });
});
