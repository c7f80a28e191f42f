import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRunConfig, type TrainerEvent } from '@ltlab/config';
import { startDashboard } from '@ltlab/dashboard';
import { applyEvent, type EventEnvelope, eventEnvelopeSchema } from '@ltlab/orchestrator';
import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/ltlab.mjs', import.meta.url));
const normalize = { name: 'normalize', mean: [0.286], std: [0.353] };

/** 8 quick epochs: validation held out, evaluated every 4 epochs, a checkpoint each epoch, keepLast 2. */
const config = parseRunConfig({
  seed: 3,
  data: {
    source: 'fashion-mnist',
    longTail: { imbalanceFactor: 10, imgMax: 40 },
    validation: { perClass: 2 },
    transforms: { train: [normalize], test: [normalize] },
  },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.05 },
  schedule: { type: 'constant' },
  epochs: 8,
  batchSize: 32,
  evaluation: { maxPerClass: 5, batchSize: 100, everyEpochs: 4 },
  checkpoint: { everyEpochs: 1, keepLast: 2, keepBest: true },
});

interface ShownRun {
  run: { lastEpoch: number | null };
  epochs: { min: number; max: number };
  evaluations: Array<{ split: string; epoch: number }>;
  checkpoints: {
    files: Array<{ path: string; file: string; epoch: number }>;
    best: { path: string; epoch: number; basis: string; selection: { metric: string; split: string } } | null;
  };
}

describe('ltlab runs list / runs show after keepLast pruning, epochs counted from 1', () => {
  let dir: string;
  let store: PrismaRunStore;
  let env: NodeJS.ProcessEnv;
  const ltlab = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });

  /** Records trainer events as the recorder does. */
  async function record(events: readonly unknown[]): Promise<void> {
    for (const [seq, event] of events.entries()) {
      const envelope: EventEnvelope = eventEnvelopeSchema.parse({ id: `e${seq}`, source: 'trainer', event });
      await applyEvent(store, envelope, async () => null);
    }
  }

  async function addRun(id: string): Promise<void> {
    const json = JSON.parse(JSON.stringify(config)) as Record<string, never>;
    await store.addRuns([
      { id, sweepId: null, fingerprint: id, config: json, configHash: id, label: id, ordinal: 0, sweptKeys: [] },
    ]);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-runs-show-'));
    env = {
      ...process.env,
      LTLAB_HOME: dir,
      DATABASE_URL: `file:${join(dir, 'ltlab.db')}`,
      LTLAB_ARTIFACTS: join(dir, 'artifacts'),
      LTLAB_BACKEND: 'wasm',
    };
    store = await openRunStore({ target: { provider: 'sqlite', url: env.DATABASE_URL as string }, migrate: true });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a real 8-epoch run: epoch 8 is the last in its events, the store, runs list, runs show and the dashboard API', {
    timeout: 240_000,
  }, async () => {
    writeFileSync(join(dir, 'run.json'), JSON.stringify(config));
    const trained = ltlab('train', join(dir, 'run.json'), '--out', join(dir, 'artifacts', 'real'), '--run-id', 'real');
    expect(trained.status, trained.stderr).toBe(0);
    const events = trained.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TrainerEvent);
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(events.filter((e) => e.type === 'eval').map((e) => [e.split, e.epoch])).toEqual([
      ['val', 4],
      ['test', 4],
      ['val', 8],
      ['test', 8],
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finished', epoch: 8 });
    await addRun('real');
    await record(events);

    const list = ltlab('runs', 'list', '--json');
    expect(list.status, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { runs: Array<{ id: string; epoch: number }> }).runs).toEqual([
      expect.objectContaining({ id: 'real', epoch: 8 }),
    ]);
    expect(ltlab('runs', 'list').stdout).toMatch(/^real\s+real\s+succeeded\s+8\s/m);

    const show = ltlab('runs', 'show', 'real', '--json');
    expect(show.status, show.stderr).toBe(0);
    const shown = JSON.parse(show.stdout) as ShownRun;
    expect(shown.run.lastEpoch).toBe(8);
    expect(shown.epochs).toEqual({ min: 1, max: 8 });
    // keepLast 2: epochs 7 and 8 are on disk, with best.ckpt; the listing is what the directory holds.
    const onDisk = readdirSync(join(dir, 'artifacts', 'real', 'checkpoints')).sort();
    expect(onDisk).toEqual(['best.ckpt', 'epoch-00007.ckpt', 'epoch-00008.ckpt']);
    expect(shown.checkpoints.files.map((f) => f.path)).toEqual([
      'real/checkpoints/epoch-00007.ckpt',
      'real/checkpoints/epoch-00008.ckpt',
      'real/checkpoints/best.ckpt',
    ]);
    expect(shown.checkpoints.best).toMatchObject({ basis: 'best by top1 on validation' });
    expect([4, 8]).toContain(shown.checkpoints.best?.epoch);

    const dashboard = await startDashboard({ store, port: 0, uiDir: dir });
    try {
      const api = (await (await fetch(new URL('/api/runs/real', dashboard.url))).json()) as ShownRun & {
        metrics: Array<{ name: string; epoch: number }>;
      };
      expect(api.epochs).toEqual({ min: 1, max: 8 });
      expect(api.metrics.filter((m) => m.name === 'loss').map((m) => m.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(api.checkpoints).toEqual(shown.checkpoints);
    } finally {
      await dashboard.close();
    }
  });

  it('runs show lists the kept epoch files and best.ckpt, whose own epoch file was pruned, with its basis', async () => {
    // Events as a trainer sends them: keepLast 2, best (top-1 on validation) at epoch 5.
    const base = { runId: 'pruned', attempt: 1, epochBase: 1, time: Date.UTC(2026, 11, 6) };
    const file = (epoch: number) => `pruned/checkpoints/epoch-${String(epoch).padStart(5, '0')}.ckpt`;
    const val = [0.3, 0.4, 0.5, 0.6, 0.71, 0.7, 0.69, 0.68];
    const events: unknown[] = [
      {
        ...base,
        seq: 0,
        type: 'started',
        epoch: 1,
        step: 0,
        backend: 'wasm',
        device: null,
        totalEpochs: 8,
        stepsPerEpoch: 4,
        resumedFrom: null,
      },
    ];
    for (let epoch = 1; epoch <= 8; epoch++) {
      const at = { ...base, seq: events.length, epoch, step: epoch * 4 };
      const metrics = { top1: val[epoch - 1], top5: null, many: null, medium: null, few: null };
      const scored = { perClassAccuracy: [], trainCounts: [], confusion: null, metrics };
      events.push({
        ...at,
        type: 'epoch',
        stage: 'main',
        trainLoss: 1 / epoch,
        lr: 0.05,
        imagesPerSecond: 1,
        seconds: 1,
      });
      events.push({ ...at, seq: events.length, type: 'eval', split: 'val', ...scored });
      const bestSoFar = Math.max(...val.slice(0, epoch));
      const best = val[epoch - 1] === bestSoFar; // no ties in val
      const selection = { metric: 'top1', split: 'val', mode: 'max', value: bestSoFar };
      const checkpoint = { ...at, type: 'checkpoint', sizeBytes: 1000, sha256: `s${epoch}`, best, selection };
      events.push({
        ...checkpoint,
        seq: events.length,
        path: file(epoch),
        file: 'epoch',
        pruned: epoch > 2 ? [file(epoch - 2)] : [],
      });
      if (best)
        events.push({
          ...checkpoint,
          seq: events.length,
          path: 'pruned/checkpoints/best.ckpt',
          file: 'best',
          pruned: [],
        });
    }
    events.push({ ...base, seq: events.length, type: 'finished', epoch: 8, step: 32, metrics: null });
    await addRun('pruned');
    await record(events);

    const show = ltlab('runs', 'show', 'pruned');
    expect(show.status, show.stderr).toBe(0);
    const listed = show.stdout.slice(show.stdout.indexOf('checkpoints on disk:'));
    expect(listed).toMatch(/^7\s+epoch\s+pruned\/checkpoints\/epoch-00007\.ckpt/m);
    expect(listed).toMatch(/^8\s+epoch\s+pruned\/checkpoints\/epoch-00008\.ckpt/m);
    expect(listed).toMatch(/^5\s+best\s+pruned\/checkpoints\/best\.ckpt/m);
    expect(listed).not.toMatch(/epoch-0000[1-6]/);
    expect(listed).toMatch(/^best: epoch 5, best by top1 on validation \(0\.7100\)$/m);
    expect(show.stdout).toMatch(/^epoch 8 of 8$/m);

    const json = JSON.parse(ltlab('runs', 'show', 'pruned', '--json').stdout) as ShownRun;
    expect(json.checkpoints.files.map((f) => [f.file, f.epoch])).toEqual([
      ['epoch', 7],
      ['epoch', 8],
      ['best', 5],
    ]);
    expect(json.checkpoints.best?.selection).toMatchObject({ metric: 'top1', split: 'val' });
  });

  it('runs show names the checkpoint an attempt resumed from and the damaged ones it rejected', async () => {
    const file = (epoch: number) => `resumed/checkpoints/epoch-${String(epoch).padStart(5, '0')}.ckpt`;
    const rejected = [
      { file: file(3), code: 'CHECKPOINT.CORRUPT', reason: 'payload checksum mismatch' },
      { file: file(2), code: 'CHECKPOINT.CORRUPT', reason: 'truncated: payload is 10 of 900 bytes' },
    ];
    await addRun('resumed');
    await record([
      {
        runId: 'resumed',
        attempt: 2,
        seq: 0,
        epochBase: 1,
        time: Date.UTC(2026, 11, 6),
        type: 'started',
        epoch: 2,
        step: 4,
        backend: 'wasm',
        device: null,
        totalEpochs: 8,
        stepsPerEpoch: 4,
        resumedFrom: file(1),
        rejectedCheckpoints: rejected,
      },
    ]);
    const show = ltlab('runs', 'show', 'resumed');
    expect(show.status, show.stderr).toBe(0);
    expect(show.stdout).toContain(
      [
        `resumed from ${file(1)}`,
        `  rejected ${file(3)} [CHECKPOINT.CORRUPT]: payload checksum mismatch`,
        `  rejected ${file(2)} [CHECKPOINT.CORRUPT]: truncated: payload is 10 of 900 bytes`,
      ].join('\n'),
    );
    const json = JSON.parse(ltlab('runs', 'show', 'resumed', '--json').stdout) as {
      resumedFrom: string | null;
      rejectedCheckpoints: unknown[];
    };
    expect(json).toMatchObject({ resumedFrom: file(1), rejectedCheckpoints: rejected });
  });
});
