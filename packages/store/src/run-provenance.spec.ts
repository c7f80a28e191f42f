import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunStore, type PrismaRunStore } from './prisma-run-store.js';
import type { RunInput, RunProvenance, RunSuggestion } from './run-store.js';
import { createTemporaryDatabase } from './testing/temporary-database.js';

const provenance: RunProvenance = {
  packages: { '@ltlab/train': '0.1.0', '@ltlab/losses': '0.1.0' },
  tfjs: '4.22.0',
  backend: 'wasm',
  device: 'AMD EPYC; wasm SIMD128, 1 thread per process',
  node: 'v20.19.0',
  platform: 'linux-x64',
};

const suggestion: RunSuggestion = {
  algorithm: 'tpe',
  index: 3,
  conditionedOn: 2,
  inputs: { results: [0, 1], best: 0.41 },
  params: { 'optimizer.lr': 0.03 },
};

function run(id: string, extra: Partial<RunInput> = {}): RunInput {
  return {
    id,
    sweepId: null,
    fingerprint: `fp-${id}`,
    config: { seed: 1 },
    configHash: `fp-${id}`,
    label: id,
    ordinal: 0,
    sweptKeys: [],
    ...extra,
  };
}

describe.each(['sqlite', 'postgresql'] as const)('run provenance and suggestions on %s', (provider) => {
  let store: PrismaRunStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createTemporaryDatabase(provider, { label: 'provenance' });
    drop = created.drop;
    store = await openRunStore({ target: created.target, migrate: true });
    await store.addRuns([run('searched', { suggestion }), run('plain')]);
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('keeps the suggestion a run was stored with, and null for a run without one', async () => {
    expect((await store.getRun('searched'))?.suggestion).toEqual(suggestion);
    expect((await store.getRun('plain'))?.suggestion).toBeNull();
    const page = await store.queryRunTable({ ids: ['searched'], limit: 1 });
    expect(page.rows[0]?.run.suggestion).toEqual(suggestion);
  });

  it('records the provenance of a started attempt; a later attempt without one keeps it', async () => {
    expect((await store.getRunDetail('plain'))?.provenance).toBeNull();
    const at = new Date('2026-01-01T00:00:00Z');
    await store.markRunStarted({ runId: 'plain', attempt: 1, node: 'n', slot: '0', provenance, at });
    expect((await store.getRunDetail('plain'))?.provenance).toEqual(provenance);
    await store.markRunStarted({ runId: 'plain', attempt: 2, node: 'n', slot: '0', at });
    expect((await store.getRunDetail('plain'))?.provenance).toEqual(provenance);
  });

  it('records a standalone evaluation without moving the run’s last epoch or objective', async () => {
    await store.recordEvaluation({ runId: 'searched', split: 'test', epoch: 4, top1: 0.5, objective: 0.5 });
    await store.recordEvaluation({ runId: 'searched', split: 'eval:test', epoch: 2, top1: 0.4, standalone: true });
    const detail = await store.getRunDetail('searched');
    expect(detail?.run.lastEpoch).toBe(4);
    expect(detail?.run.objective).toBe(0.5);
    expect(detail?.evaluations.map((e) => [e.split, e.epoch, e.top1])).toEqual([
      ['eval:test', 2, 0.4],
      ['test', 4, 0.5],
    ]);
  });
});
