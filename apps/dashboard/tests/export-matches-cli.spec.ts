import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openRunStore, type PrismaRunStore, RUN_EXPORT_FIELDS } from '@ltlab/store';
import { createTemporaryDatabase, type TemporaryDatabase } from '@ltlab/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHandle, startDashboard } from '../src/index.js';
import { seedPrunedRun, seedSweep, seedVariantsSweep } from './seed-store.js';

/** The `ltlab` command of this checkout, run as a user runs it (a child process, no import). */
const LTLAB = fileURLToPath(new URL('../../cli/bin/ltlab.mjs', import.meta.url));

/**
 * The dashboard's "Export CSV" is `ltlab runs export`: same header (summary columns, then every
 * hyperparameter under its plain dotted key), same rows in the same order, byte for byte, on
 * both databases. The seeds mix runs whose keys differ (LDAM's `s` only on LDAM), arrays, a label
 * with a comma and quotes, a failed run with its error, runs without a test evaluation.
 */
describe.each(['sqlite', 'postgresql'] as const)('dashboard CSV export = ltlab runs export on %s', (provider) => {
  let database: TemporaryDatabase;
  let store: PrismaRunStore;
  let dashboard: DashboardHandle;
  let dir: string;

  beforeAll(async () => {
    database = await createTemporaryDatabase(provider, { label: 'export_cli', migrate: true });
    store = await openRunStore({ target: database.target });
    await seedVariantsSweep(store);
    await seedSweep(store);
    await seedPrunedRun(store);
    await store.addRuns([
      {
        id: 'quoted',
        sweepId: null,
        fingerprint: 'fp-quoted',
        config: { method: { loss: 'ce', options: { note: 'a "b", c' } }, seed: 7 },
        configHash: 'ch-quoted',
        label: 'say "hi", twice',
        ordinal: 1,
        sweptKeys: [],
      },
      {
        // Cells a spreadsheet would evaluate: one CSV writer guards them for both exports.
        id: 'formula',
        sweepId: null,
        fingerprint: 'fp-formula',
        // No key of its own: the other runs' columns stay as they are.
        config: { method: { loss: '@SUM(A1:A9)', options: { note: '\t=1+1' } }, seed: 8 },
        configHash: 'ch-formula',
        label: '=HYPERLINK("http://x","y")',
        ordinal: 3,
        sweptKeys: [],
      },
      {
        // 60 keys of its own: more hyperparameter columns than one SQLite query may join.
        id: 'wide',
        sweepId: null,
        fingerprint: 'fp-wide',
        config: {
          wide: Object.fromEntries(Array.from({ length: 60 }, (_, k) => [`k${String(k).padStart(2, '0')}`, k])),
        },
        configHash: 'ch-wide',
        label: 'wide',
        ordinal: 2,
        sweptKeys: [],
      },
    ]);
    dashboard = await startDashboard({ store, port: 0, uiDir: tmpdir() });
    dir = mkdtempSync(join(tmpdir(), 'ltlab-export-cli-'));
  }, 120_000);

  afterAll(async () => {
    await dashboard?.close();
    await store?.close();
    await database?.drop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  // Asynchronous, so the dashboard in this process keeps serving (and expiring idle sockets).
  const cli = async (name: string, ...args: string[]): Promise<string> => {
    const output = join(dir, `${name}.csv`);
    await promisify(execFile)(process.execPath, [LTLAB, 'runs', 'export', ...args, '--output', output], {
      env: { ...process.env, DATABASE_URL: database.target.url, LTLAB_HOME: dir },
      timeout: 60_000,
    });
    return readFileSync(output, 'utf8');
  };

  const dashboardCsv = async (query: string): Promise<string> => {
    const response = await fetch(new URL(`/api/runs/export.csv?${query}`, dashboard.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    return response.text();
  };

  it('a sweep whose runs have different keys: plain headers, keys in order of first appearance', async () => {
    const expected = await cli('variants', '--sweep', 'sw-variants');
    const header = expected.split('\n')[0]?.split(',');
    expect(header?.slice(0, RUN_EXPORT_FIELDS.length)).toEqual([...RUN_EXPORT_FIELDS]);
    // CE and balanced softmax have none of LDAM's or ResLT's options: those come after the shared keys.
    expect(header?.slice(RUN_EXPORT_FIELDS.length)).toEqual([
      'backbone.name',
      'data.longTail.imgMax',
      'data.longTail.profile',
      'data.source',
      'epochs',
      'method.loss',
      'method.projection.dim',
      'optimizer.lr',
      'optimizer.momentum',
      'seed',
      'method.drw.beta',
      'method.drw.startEpoch',
      'method.options.maxM',
      'method.options.s',
      'method.options.beta',
      'method.options.mediumTailRange',
      'method.options.tailRange',
    ]);
    expect(expected).toMatch(/^sw-variants-reslt,reslt,succeeded,1,8,0\.6579,,0\.6704,0\.717,0\.538,0\.538,,/m);
    expect(await dashboardCsv('sweep=sw-variants')).toBe(expected);
  });

  it('every run in the store: failed runs, quotes, commas, arrays and 60 keys of one run', async () => {
    const expected = await cli('all');
    expect(expected.split('\n')).toHaveLength(1 + 24 + 4 + 1 + 1 + 1 + 1 + 1);
    expect(expected.split('\n')[0]).toContain(',wide.k00,wide.k01,');
    expect(expected).toMatch(/^wide,wide,queued,0,,+0,1,2,(\d+,)+59,,,$/m);
    expect(expected).toContain('"say ""hi"", twice"');
    expect(expected).toContain('"balanced-softmax, best on validation"');
    expect(expected).toContain('TRAIN.NAN_LOSS: The loss became NaN at epoch 3 (step 1170).');
    expect(expected).toContain('"[5,10]"');
    expect(await dashboardCsv('')).toBe(expected);
  });

  it('a label or value a spreadsheet would run as a formula is written quoted-as-text by both', async () => {
    const expected = await cli('formula', '--where', 'seed=8');
    const row = expected.split('\n')[1] ?? '';
    expect(row).toMatch(/^formula,"'=HYPERLINK\(""http:\/\/x"",""y""\)",queued,/);
    expect(row).toContain(",'@SUM(A1:A9),");
    expect(row).toContain(",'\t=1+1");
    expect(row).not.toMatch(/(^|,)[=@+]/);
    const filters = encodeURIComponent(JSON.stringify([{ column: 'hp:seed', equals: 8 }]));
    expect(await dashboardCsv(`filters=${filters}`)).toBe(expected);
  });

  it('the same filters: a hyperparameter value, a status', async () => {
    const filters = encodeURIComponent(JSON.stringify([{ column: 'hp:method.loss', equals: 'paco' }]));
    expect(await dashboardCsv(`sweep=sw-fmnist-lt&filters=${filters}`)).toBe(
      await cli('paco', '--sweep', 'sw-fmnist-lt', '--where', 'method.loss=paco'),
    );
    expect(await dashboardCsv('status=failed,cancelled')).toBe(await cli('failed', '--status', 'failed,cancelled'));
  });
});
