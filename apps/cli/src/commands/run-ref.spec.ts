import { LtlabError } from '@ltlab/core';
import type { RunRecord, RunTableQuery } from '@ltlab/store';
import { describe, expect, it } from 'vitest';
import { resolveRun } from './run-ref.js';

const runs = [
  { id: 'a-1', sweepId: 'a', label: 'paco' },
  { id: 'b-1', sweepId: 'b', label: 'paco' },
  { id: 'a-2', sweepId: 'a', label: 'ce' },
] as RunRecord[];

/** The two reads resolveRun makes, over an array. */
const store = {
  getRun: async (id: string) => runs.find((r) => r.id === id) ?? null,
  queryRunTable: async (query: RunTableQuery) => {
    const label = query.filters?.[0]?.equals;
    const hits = runs.filter((r) => r.label === label && (query.sweepId === undefined || r.sweepId === query.sweepId));
    return { total: hits.length, rows: hits.slice(0, query.limit).map((run) => ({ run, values: {} })) };
  },
};

async function failure(ref: string, sweepId?: string): Promise<LtlabError> {
  const error: unknown = await resolveRun(store, ref, sweepId).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof LtlabError)) throw new Error(`'${ref}' resolved`);
  return error;
}

describe('resolveRun', () => {
  it('takes an id, or a label that names one run (within the sweep)', async () => {
    expect((await resolveRun(store, 'a-1')).id).toBe('a-1');
    expect((await resolveRun(store, 'ce')).id).toBe('a-2');
    expect((await resolveRun(store, 'paco', 'b')).id).toBe('b-1');
  });

  it('lists the ids of an ambiguous label, and says how to pick', async () => {
    const ambiguous = await failure('paco');
    expect(ambiguous.code).toBe('CONFIG.INVALID');
    expect(ambiguous.message).toBe("Label 'paco' names 2 runs:\n  - a-1 (sweep a)\n  - b-1 (sweep b)");
    expect(ambiguous.fix).toContain('--sweep ID');
  });

  it('names the sweep when nothing matches', async () => {
    const missing = await failure('ce', 'b');
    expect(missing.code).toBe('RUN.NOT_FOUND');
    expect(missing.message).toBe("No run has the id or label 'ce' in sweep 'b'.");
    expect(missing.fix).toBe('List runs with their ids: ltlab runs list --sweep b');
  });
});
