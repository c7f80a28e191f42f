import type { RunRecord, RunTablePage, RunTableQuery } from '@ltlab/store';
import { describe, expect, it } from 'vitest';
import { queryRunSummaries } from './runs-query.js';

const run = (id: string, extra: Partial<RunRecord> = {}): RunRecord => ({
  id,
  sweepId: 'sw',
  fingerprint: id,
  config: {},
  configHash: id,
  label: `label ${id}`,
  ordinal: 0,
  status: 'succeeded',
  attempt: 1,
  node: null,
  slot: null,
  backend: null,
  errorCode: null,
  errorMessage: null,
  gitCommit: null,
  gitDirty: null,
  queuedAt: new Date(0),
  startedAt: null,
  finishedAt: null,
  heartbeatAt: null,
  lastEpoch: 8,
  objective: 0.7,
  suggestion: null,
  ...extra,
});

describe('queryRunSummaries: runs list and export through the runs table', () => {
  it('asks the table for the scope and the test accuracies, and sums each row up from them', async () => {
    const asked: RunTableQuery[] = [];
    const page: RunTablePage = {
      total: 5,
      rows: [
        {
          run: run('a'),
          values: {
            'eval:test:top1': 0.72,
            'eval:test:top5': null,
            'eval:test:many': 0.9,
            'eval:test:medium': 0.6,
            'eval:test:few': 0.55,
          },
        },
        {
          run: run('b', { status: 'failed', errorCode: 'TRAIN.NAN_LOSS', errorMessage: 'NaN', lastEpoch: null }),
          values: {},
        },
      ],
    };
    const store = {
      queryRunTable: async (query: RunTableQuery) => {
        asked.push(query);
        return page;
      },
    };
    const filters = [{ column: 'hp:method.loss', equals: 'paco' }];
    const { summaries, total } = await queryRunSummaries(store, { sweepId: 'sw', filters }, 2);
    expect(asked).toEqual([
      {
        sweepId: 'sw',
        filters,
        columns: ['eval:test:top1', 'eval:test:top5', 'eval:test:many', 'eval:test:medium', 'eval:test:few'],
        limit: 2,
      },
    ]);
    expect(total).toBe(5);
    expect(summaries).toEqual([
      {
        id: 'a',
        label: 'label a',
        status: 'succeeded',
        attempt: 1,
        epoch: 8,
        top1: 0.72,
        top5: null,
        many: 0.9,
        medium: 0.6,
        few: 0.55,
        objective: 0.7,
        error: null,
      },
      {
        id: 'b',
        label: 'label b',
        status: 'failed',
        attempt: 1,
        epoch: null,
        top1: null,
        top5: null,
        many: null,
        medium: null,
        few: null,
        objective: 0.7,
        error: 'TRAIN.NAN_LOSS: NaN',
      },
    ]);
  });

  it('lists every run without a limit', async () => {
    const limits: number[] = [];
    const store = {
      queryRunTable: async (query: RunTableQuery): Promise<RunTablePage> => {
        limits.push(query.limit);
        return { total: 0, rows: [] };
      },
    };
    await queryRunSummaries(store, {}, undefined);
    expect(limits).toEqual([2_147_483_647]);
  });
});
