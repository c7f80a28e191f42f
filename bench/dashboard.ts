/**
 * Dashboard latency on a 10,000-run sweep: a filtered, sorted page of the runs table over HTTP,
 * a grouped mean ± std, and the sweep page (all runs' swept values), on SQLite and PostgreSQL.
 * Needs PostgreSQL for the second half (LTLAB_TEST_POSTGRES_URL, default postgresql://root@127.0.0.1:5432/test).
 * Usage: npm run bench -- dashboard [--runs 10000] [--reps 20] [--sqlite-only]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDashboard } from '@ltlab/dashboard';
import { type DatabaseTarget, openRunStore, type RunInput } from '@ltlab/store';
import { createTemporaryDatabase } from '@ltlab/store/testing';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    reps: { type: 'string', default: '20' },
    'sqlite-only': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const REPS = Number(values.reps);
const LOSSES = ['ce', 'balanced_softmax', 'ldam', 'paco', 'reslt'];

function runInputs(): RunInput[] {
  return Array.from({ length: RUNS }, (_, i) => ({
    id: `b${i}`,
    sweepId: 'bench',
    fingerprint: `fp${i}`,
    config: {
      method: {
        loss: LOSSES[i % LOSSES.length] ?? 'ce',
        options: { temperature: 0.05 + (Math.floor(i / 5) % 20) * 0.01 },
      },
      optimizer: { lr: 0.1 * (1 + (i % 7)) },
      seed: Math.floor(i / 100),
      batchSize: 128,
    },
    configHash: `fp${i}`,
    label: `run ${i}`,
    ordinal: i,
    sweptKeys: ['method.loss', 'method.options.temperature', 'optimizer.lr', 'seed'],
  }));
}

async function seed(target: DatabaseTarget): Promise<void> {
  const store = await openRunStore({ target, migrate: true });
  await store.saveSweep({
    id: 'bench',
    name: 'bench',
    spec: {},
    specHash: 'h',
    objectiveMetric: 'val/top1',
    objectiveMode: 'max',
    priority: 0,
    maxConcurrency: null,
  });
  const runs = runInputs();
  await store.addRuns(runs);
  const at = new Date();
  // Bulk rows straight through Prisma: the bench measures reads, not the recorder.
  for (let start = 0; start < RUNS; start += 1000) {
    const chunk = runs.slice(start, start + 1000);
    await store.client.evaluation.createMany({
      data: chunk.map((run, k) => {
        const x = (((start + k) * 7919) % 1000) / 1000;
        return {
          runId: run.id,
          split: 'val',
          epoch: 30,
          top1: 0.4 + 0.3 * x,
          many: 0.8,
          medium: 0.5 + 0.2 * x,
          few: 0.1 + 0.5 * x,
        };
      }),
    });
    await store.client.metricPoint.createMany({
      data: chunk.flatMap((run, k) =>
        [1, 2, 3].map((step) => ({
          runId: run.id,
          name: 'loss',
          split: 'train',
          step,
          epoch: step,
          value: 2 / step + k / 1e4,
          attempt: 1,
          wallTime: at,
        })),
      ),
    });
    for (const [k, run] of chunk.entries()) {
      if (k % 10 === 0)
        await store.client.run.update({
          where: { id: run.id },
          data: { objective: 0.4 + ((start + k) % 97) / 300, status: 'succeeded' },
        });
    }
  }
  await store.close();
}

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, min ${at(0).toFixed(1)} ms`;
}

async function measure(provider: string, target: DatabaseTarget): Promise<void> {
  const t0 = performance.now();
  await seed(target);
  console.log(
    `${provider}: seeded ${RUNS} runs (+${RUNS} evaluations, ${3 * RUNS} metric points) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const store = await openRunStore({ target });
  const dashboard = await startDashboard({ store, port: 0 });
  const filters = JSON.stringify([
    { column: 'hp:method.loss', in: ['paco', 'reslt'] },
    { column: 'eval:val:few', min: 0.3 },
  ]);
  const cases: Array<[string, string]> = [
    [
      'filtered+sorted page (hp filter, metric filter, sort by eval:val:few, 50 rows, 8 columns)',
      `api/runs?sweep=bench&filters=${encodeURIComponent(filters)}&sort=eval:val:few&dir=desc&limit=50&offset=100&columns=hp:method.loss,hp:method.options.temperature,hp:optimizer.lr,hp:seed,eval:val:top1,eval:val:few,metric:train:loss,run:status`,
    ],
    [
      'page sorted by a hyperparameter (no filter)',
      'api/runs?sweep=bench&sort=hp:optimizer.lr&dir=desc&limit=50&columns=hp:method.loss,eval:val:top1',
    ],
    [
      'group by loss x temperature, mean ± std of 2 metrics',
      `api/runs/groups?sweep=bench&groupBy=method.loss,method.options.temperature&metrics=eval:val:top1,eval:val:few`,
    ],
    ['sweep page (all runs for parallel coordinates + importance)', 'api/sweeps/bench'],
  ];
  for (const [name, path] of cases) {
    const samples: number[] = [];
    let total = 0;
    for (let rep = 0; rep < REPS + 2; rep++) {
      const start = performance.now();
      const response = await fetch(new URL(path, dashboard.url));
      const body = (await response.json()) as { total?: number; groups?: unknown[]; points?: unknown[] };
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
      total = body.total ?? body.groups?.length ?? body.points?.length ?? 0;
      if (rep >= 2) samples.push(performance.now() - start);
    }
    console.log(`  ${name}: ${stats(samples)} (${total} matched)`);
  }
  await dashboard.close();
  await store.close();
}

const dir = mkdtempSync(join(tmpdir(), 'ltlab-bench-dashboard-'));
try {
  await measure('sqlite', { provider: 'sqlite', url: `file:${join(dir, 'ltlab.db')}` });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (!values['sqlite-only']) {
  const postgres = await createTemporaryDatabase('postgresql', { label: 'bench_dashboard' });
  try {
    await measure('postgresql', postgres.target);
  } finally {
    await postgres.drop();
  }
}
