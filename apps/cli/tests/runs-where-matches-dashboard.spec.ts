import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DashboardHandle, startDashboard } from '@ltlab/dashboard';
import { type ColumnFilter, type JsonObject, openRunStore, type PrismaRunStore } from '@ltlab/store';
import { createTemporaryDatabase, type TemporaryDatabase } from '@ltlab/store/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runProgram } from '../src/program.js';
import { PROGRAM } from '../src/tree/index.js';

const config = (loss: string, lr: number, seed: number, extra: JsonObject = {}): JsonObject => ({
  seed,
  method: { loss, options: { temperature: 0.05 } },
  optimizer: { lr },
  amp: seed === 1,
  ...extra,
});

/** id, config, latest test (top1, few) or none; an earlier test evaluation that the filters must not see. */
const RUNS = [
  { id: 'paco-1', config: config('paco', 0.05, 1), test: [0.72, 0.55] },
  { id: 'paco-2', config: config('paco', 0.1, 2), test: [0.7, 0.45] },
  { id: 'ce-1', config: config('ce', 0.05, 1), test: [0.68, 0.3] },
  { id: 'ce-2', config: config('ce', 0.2, 2, { note: 'LDAM-like' }), test: [0.6, 0.52] },
  { id: 'queued', config: config('paco', 0.05, 3), test: null },
] as const;

/**
 * `ltlab runs list --where` compiles to the dashboard's filter model and runs through the same
 * store query: for each pair below, the CLI's terms and the dashboard's filters (as the runs page
 * sends them) give the same runs, in the same order, with the same test accuracies, on both
 * databases.
 */
const PAIRS: Array<{ where: string[]; filters: ColumnFilter[]; expected: string[] }> = [
  {
    where: ['method.loss=paco'],
    filters: [{ column: 'hp:method.loss', equals: 'paco' }],
    expected: ['paco-1', 'paco-2', 'queued'],
  },
  {
    where: ['optimizer.lr>=0.1', 'optimizer.lr<=0.15'],
    filters: [{ column: 'hp:optimizer.lr', min: 0.1, max: 0.15 }],
    expected: ['paco-2'],
  },
  { where: ['amp=true'], filters: [{ column: 'hp:amp', equals: true }], expected: ['paco-1', 'ce-1'] },
  { where: ['seed=2'], filters: [{ column: 'hp:seed', equals: 2 }], expected: ['paco-2', 'ce-2'] },
  { where: ['test/few>=0.5'], filters: [{ column: 'eval:test:few', min: 0.5 }], expected: ['paco-1', 'ce-2'] },
  {
    where: ['method.loss=ce', 'test/top1<=0.65'],
    filters: [
      { column: 'hp:method.loss', equals: 'ce' },
      { column: 'eval:test:top1', max: 0.65 },
    ],
    expected: ['ce-2'],
  },
  {
    where: ['method.options.temperature=0.05'],
    filters: [{ column: 'hp:method.options.temperature', equals: 0.05 }],
    expected: RUNS.map((r) => r.id),
  },
];

const EVAL_COLUMNS = ['top1', 'top5', 'many', 'medium', 'few'].map((field) => `eval:test:${field}`);

interface ListedRun {
  id: string;
  top1: number | null;
  few: number | null;
}

describe.each(['sqlite', 'postgresql'] as const)('runs list --where = the dashboard filters on %s', (provider) => {
  let database: TemporaryDatabase;
  let store: PrismaRunStore;
  let dashboard: DashboardHandle;
  let home: string;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, LTLAB_HOME: process.env.LTLAB_HOME };

  beforeAll(async () => {
    database = await createTemporaryDatabase(provider, { label: 'where_api', migrate: true });
    store = await openRunStore({ target: database.target });
    for (const [ordinal, run] of RUNS.entries()) {
      await store.addRuns([
        {
          id: run.id,
          sweepId: null,
          fingerprint: run.id,
          config: run.config,
          configHash: run.id,
          label: run.id,
          ordinal,
          sweptKeys: [],
        },
      ]);
      if (run.test === null) continue;
      await store.recordEvaluation({ runId: run.id, split: 'test', epoch: 2, top1: 0.1, few: 0.99 });
      await store.recordEvaluation({ runId: run.id, split: 'test', epoch: 8, top1: run.test[0], few: run.test[1] });
    }
    dashboard = await startDashboard({ store, port: 0, uiDir: tmpdir() });
    home = mkdtempSync(join(tmpdir(), 'ltlab-where-api-'));
    process.env.DATABASE_URL = database.target.url;
    process.env.LTLAB_HOME = home;
  }, 120_000);

  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await dashboard?.close();
    await store?.close();
    await database?.drop();
    if (home !== undefined) rmSync(home, { recursive: true, force: true });
  });

  async function cliList(where: readonly string[]): Promise<{ total: number; runs: ListedRun[] }> {
    let written = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written += String(chunk);
      return true;
    });
    const io = { out: () => {}, err: () => {}, error: (text: string) => text, width: 100 };
    try {
      const args = ['runs', 'list', '--json', ...where.flatMap((term) => ['--where', term])];
      expect(await runProgram(PROGRAM, '0.0.0', args, io)).toBe(0);
    } finally {
      write.mockRestore();
    }
    return JSON.parse(written) as { total: number; runs: ListedRun[] };
  }

  async function apiList(filters: readonly ColumnFilter[]): Promise<{ total: number; runs: ListedRun[] }> {
    const params = new URLSearchParams({
      filters: JSON.stringify(filters),
      columns: EVAL_COLUMNS.join(','),
      limit: '100',
    });
    const response = await fetch(new URL(`/api/runs?${params}`, dashboard.url));
    expect(response.status).toBe(200);
    const page = (await response.json()) as {
      total: number;
      rows: Array<{ run: { id: string }; values: Record<string, number | null> }>;
    };
    return {
      total: page.total,
      runs: page.rows.map(({ run, values }) => ({
        id: run.id,
        top1: values['eval:test:top1'] ?? null,
        few: values['eval:test:few'] ?? null,
      })),
    };
  }

  it.each(PAIRS)('--where $where = filters $filters', async ({ where, filters, expected }) => {
    const [cli, api] = await Promise.all([cliList(where), apiList(filters)]);
    expect(api.runs.map((run) => run.id)).toEqual(expected);
    expect(cli.total).toBe(api.total);
    expect(cli.runs.map(({ id, top1, few }) => ({ id, top1, few }))).toEqual(api.runs);
  });
});
