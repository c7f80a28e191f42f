import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@ltlab/core';
import { type MetricPointInput, openRunStore, type PrismaRunStore, type RunInput } from '@ltlab/store';

export const LOSSES = ['ce', 'balanced_softmax', 'paco'] as const;
export const TEMPERATURES = [0.05, 0.1, 0.2, 0.3] as const;
export const SEEDS = [1, 2] as const;
export const EPOCHS = 8;
export const CLASSES = 10;
/** Exponential profile, imbalance ratio 100 (CIFAR-10-LT style). */
export const TRAIN_COUNTS = Array.from({ length: CLASSES }, (_, c) => Math.round(500 * 0.01 ** (c / (CLASSES - 1))));

export interface SeededStore {
  store: PrismaRunStore;
  dir: string;
  runIds: string[];
  cleanup(): Promise<void>;
}

export async function openTempStore(): Promise<{ store: PrismaRunStore; dir: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ltlab-dashboard-'));
  const store = await openRunStore({
    target: { provider: 'sqlite', url: `file:${join(dir, 'ltlab.db')}` },
    migrate: true,
  });
  return {
    store,
    dir,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Accuracy of a class: better for head classes; balanced losses and PaCo lift the tail. */
function classAccuracy(loss: string, temperature: number, c: number, progress: number, rng: Rng): number {
  const tail = c / (CLASSES - 1);
  const lift = loss === 'paco' ? 0.35 : loss === 'balanced_softmax' ? 0.25 : 0;
  const tempEffect = -Math.abs(temperature - 0.1) * 0.4;
  const base = 0.92 - tail * (0.75 - lift) + tempEffect;
  return Math.min(1, Math.max(0, base * (0.3 + 0.7 * progress) + rng.normal(0, 0.02)));
}

/**
 * A realistic finished sweep: 3 losses x 4 temperatures x 2 seeds on a 10-class long-tailed set,
 * with per-epoch curves, evaluations (many/medium/few, per class, confusion), checkpoints and a
 * worker; a few runs failed, are running, queued or cancelled.
 */
export async function seedSweep(store: PrismaRunStore, sweepId = 'sw-fmnist-lt'): Promise<string[]> {
  await store.saveSweep({
    id: sweepId,
    name: 'fmnist-lt loss x temperature',
    spec: { grid: { 'method.loss': [...LOSSES], 'method.options.temperature': [...TEMPERATURES] }, seeds: [...SEEDS] },
    specHash: `spec-${sweepId}`,
    objectiveMetric: 'val/top1',
    objectiveMode: 'max',
    priority: 0,
    maxConcurrency: 4,
  });
  const runs: RunInput[] = [];
  for (const loss of LOSSES)
    for (const temperature of TEMPERATURES)
      for (const seed of SEEDS) {
        const ordinal = runs.length;
        runs.push({
          id: `${sweepId}-r${String(ordinal).padStart(2, '0')}`,
          sweepId,
          fingerprint: `fp-${sweepId}-${ordinal}`,
          config: {
            dataset: { name: 'fmnist-lt', imbalanceRatio: 100 },
            method: { loss, options: { temperature } },
            optimizer: { lr: 0.1, momentum: 0.9, weightDecay: 5e-4 },
            schedule: { epochs: EPOCHS, milestones: [6, 7] },
            seed,
          },
          configHash: `ch-${sweepId}-${ordinal}`,
          label: `${loss} T=${temperature} seed=${seed}`,
          ordinal,
          sweptKeys: ['method.loss', 'method.options.temperature', 'seed'],
        });
      }
  await store.addRuns(runs);
  const start = Date.parse('2026-03-01T08:00:00Z');
  for (const [index, run] of runs.entries()) {
    const { loss, options } = (run.config as { method: { loss: string; options: { temperature: number } } }).method;
    const rng = new Rng(`seed-${run.id}`);
    const fate =
      index === 5 ? 'failed' : index === 22 ? 'running' : index === 23 ? 'queued' : index === 21 ? 'cancelled' : 'done';
    if (fate === 'queued') continue;
    const runStart = start + index * 600_000;
    await store.markRunStarted({
      runId: run.id,
      attempt: 1,
      node: 'gpu-node-1',
      slot: `gpu${index % 2}`,
      backend: 'tensorflow',
      at: new Date(runStart),
    });
    const epochs = fate === 'failed' ? 3 : fate === 'running' || fate === 'cancelled' ? 5 : EPOCHS;
    const points: MetricPointInput[] = [];
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const progress = epoch / EPOCHS;
      const accuracy = Array.from({ length: CLASSES }, (_, c) =>
        classAccuracy(loss, options.temperature, c, progress, rng),
      );
      const top1 =
        accuracy.reduce((s, a, c) => s + a * (TRAIN_COUNTS[c] ?? 0), 0) / TRAIN_COUNTS.reduce((s, n) => s + n, 0);
      const balanced = accuracy.reduce((s, a) => s + a, 0) / CLASSES;
      const wallTime = new Date(runStart + epoch * 60_000);
      const lr = epoch >= 7 ? 0.001 : epoch >= 6 ? 0.01 : 0.1;
      points.push(
        {
          runId: run.id,
          name: 'loss',
          split: 'train',
          step: epoch,
          epoch,
          value: 2.3 * Math.exp(-epoch / 3) + 0.2 + rng.normal(0, 0.02),
          attempt: 1,
          wallTime,
        },
        { runId: run.id, name: 'lr', split: 'train', step: epoch, epoch, value: lr, attempt: 1, wallTime },
        {
          runId: run.id,
          name: 'top1',
          split: 'train',
          step: epoch,
          epoch,
          value: Math.min(1, top1 + 0.05),
          attempt: 1,
          wallTime,
        },
        { runId: run.id, name: 'top1', split: 'val', step: epoch, epoch, value: balanced, attempt: 1, wallTime },
        {
          runId: run.id,
          name: 'loss',
          split: 'val',
          step: epoch,
          epoch,
          value: 2.5 * Math.exp(-epoch / 3) + 0.35 + rng.normal(0, 0.02),
          attempt: 1,
          wallTime,
        },
      );
      const confusion = accuracy.map((a, truth) => {
        const total = 100;
        const correct = Math.round(a * total);
        const row = Array.from({ length: CLASSES }, () => 0);
        row[truth] = correct;
        // Tail mistakes land on head classes, the long-tail signature.
        for (let k = 0; k < total - correct; k++)
          row[Math.min(truth, k % 3)] = (row[Math.min(truth, k % 3)] ?? 0) + (Math.min(truth, k % 3) === truth ? 0 : 1);
        const missing = total - row.reduce((s, v) => s + v, 0);
        row[0] = (row[0] ?? 0) + missing;
        return row;
      });
      await store.recordEvaluation({
        runId: run.id,
        split: 'val',
        epoch,
        top1: balanced,
        top5: Math.min(1, balanced + 0.15),
        many: accuracy.slice(0, 3).reduce((s, a) => s + a, 0) / 3,
        medium: accuracy.slice(3, 7).reduce((s, a) => s + a, 0) / 4,
        few: accuracy.slice(7).reduce((s, a) => s + a, 0) / 3,
        perClass: { accuracy, trainCounts: [...TRAIN_COUNTS] },
        confusion,
        objective: balanced,
      });
      await store.recordArtifact({
        runId: run.id,
        path: `${run.id}/checkpoints/epoch-${epoch}.ckpt`,
        kind: 'checkpoint',
        epoch,
        sizeBytes: 4_500_000 + epoch,
      });
      await store.markRunProgress({ runId: run.id, attempt: 1, at: wallTime, epoch });
    }
    await store.recordMetrics(points);
    const end = new Date(runStart + (epochs + 1) * 60_000);
    if (fate === 'done') await store.markRunFinished({ runId: run.id, attempt: 1, status: 'succeeded', at: end });
    if (fate === 'failed') {
      await store.markRunFinished({
        runId: run.id,
        attempt: 1,
        status: 'failed',
        errorCode: 'TRAIN.NAN_LOSS',
        errorMessage: 'The loss became NaN at epoch 3 (step 1170).',
        at: end,
      });
    }
    if (fate === 'cancelled') await store.cancelRuns([run.id], end);
  }
  const running = runs[22]?.id ?? null;
  await store.heartbeatWorker({
    id: 'gpu-node-1/gpu0',
    node: 'gpu-node-1',
    slot: 'gpu0',
    pid: 4242,
    backend: 'tensorflow',
    device: 'NVIDIA A100',
    status: 'busy',
    currentRunId: running,
    at: new Date(),
  });
  await store.heartbeatWorker({
    id: 'gpu-node-1/gpu1',
    node: 'gpu-node-1',
    slot: 'gpu1',
    pid: 4243,
    backend: 'tensorflow',
    device: 'NVIDIA A100',
    status: 'idle',
    currentRunId: null,
    at: new Date(),
  });
  return runs.map((run) => run.id);
}

export async function seededStore(): Promise<SeededStore> {
  const temp = await openTempStore();
  const runIds = await seedSweep(temp.store);
  return { ...temp, runIds };
}
