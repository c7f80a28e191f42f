import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/ltlab.mjs', import.meta.url));

/**
 * An ASHA sweep (grace 1, eta 3) as the recorder leaves it: six runs reported their objective at
 * epoch 1 in this order, the rule stopped three of them there, and two of the rest reached rung 3
 * (too few to judge: no cut-off yet).
 */
const EPOCH_1: Array<[string, number]> = [
  ['r1', 0.6],
  ['r2', 0.5],
  ['r3', 0.3], // 3 at the rung, keep 1 (0.6): stopped
  ['r4', 0.7],
  ['r5', 0.55], // 5 at the rung, keep 1 (0.7): stopped
  ['r6', 0.2], // 6 at the rung, keep 2 (0.7, 0.6): stopped
];

describe('ltlab sweep status of an ASHA sweep', () => {
  let dir: string;
  let store: PrismaRunStore;
  let env: NodeJS.ProcessEnv;
  const ltlab = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-sweep-rungs-'));
    env = { ...process.env, LTLAB_HOME: dir, DATABASE_URL: `file:${join(dir, 'ltlab.db')}` };
    store = await openRunStore({ target: { provider: 'sqlite', url: env.DATABASE_URL as string }, migrate: true });
    await store.saveSweep({
      id: 'asha-sweep',
      name: 'asha',
      spec: { earlyStopping: { rule: 'asha', gracePeriod: 1, reductionFactor: 3 } },
      specHash: 'h',
      objectiveMetric: 'test/top1',
      objectiveMode: 'max',
      priority: 50,
      maxConcurrency: null,
    });
    const ids = EPOCH_1.map(([id]) => id);
    await store.addRuns(
      ids.map((id, ordinal) => ({
        id,
        sweepId: 'asha-sweep',
        fingerprint: id,
        config: {},
        configHash: id,
        label: id,
        ordinal,
        sweptKeys: [],
      })),
    );
    const t0 = Date.UTC(2026, 11, 8);
    const point = (runId: string, epoch: number, value: number, second: number) => ({
      runId,
      name: 'top1',
      split: 'test',
      step: epoch * 10,
      epoch,
      value,
      attempt: 1,
      wallTime: new Date(t0 + second * 1000),
    });
    for (const id of ids) await store.markRunStarted({ runId: id, attempt: 1, node: 'n', slot: '0', at: new Date(t0) });
    await store.recordMetrics(EPOCH_1.map(([id, value], index) => point(id, 1, value, index)));
    await store.recordMetrics([point('r4', 3, 0.8, 10), point('r1', 3, 0.65, 11)]);
    for (const id of ['r3', 'r5', 'r6'])
      await store.markRunFinished({
        runId: id,
        attempt: 1,
        status: 'stopped',
        errorCode: 'RUN.EARLY_STOPPED',
        errorMessage: 'ASHA rung at epoch 1',
        at: new Date(t0 + 20_000),
      });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the stopped count and the rung table', () => {
    const result = ltlab('sweep', 'status', 'asha-sweep');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('3 running, 3 stopped');
    expect(result.stdout).toContain('early stopping: ASHA, grace period 1, reduction factor 3, on test/top1 (max)');
    const lines = result.stdout.split('\n');
    const header = lines.findIndex((line) => /^rung\s+reached\s+cut-off\s+promoted\s+stopped/.test(line));
    expect(header, result.stdout).toBeGreaterThan(-1);
    const cells = (line: string | undefined) => (line ?? '').trim().split(/\s+/);
    const body = lines.slice(header + 1).filter((line) => /^\d/.test(line));
    expect(body.map(cells)).toEqual([
      ['1', '6', '0.6000', '3', '3'],
      ['3', '2', '-', '2', '0'],
    ]);
  });

  it('gives the table in --json', () => {
    const result = ltlab('sweep', 'status', 'asha-sweep', '--json');
    expect(result.status, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { counts: Record<string, number>; earlyStopping: unknown };
    expect(out.counts).toMatchObject({ stopped: 3, cancelled: 0 });
    expect(out.earlyStopping).toEqual({
      rule: 'asha',
      objective: { metric: 'test/top1', mode: 'max' },
      gracePeriod: 1,
      reductionFactor: 3,
      rungs: [
        { epoch: 1, reached: 6, cutoff: 0.6, promoted: 3, stopped: ['r3', 'r5', 'r6'] },
        { epoch: 3, reached: 2, cutoff: null, promoted: 2, stopped: [] },
      ],
    });
  });
});
