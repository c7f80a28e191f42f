import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@ltlab/core';
import { type JsonObject, openRunStore, type PrismaRunStore, type RunInput } from '@ltlab/store';
import { type FixtureTrainerEvent, recordTrainerEvents } from './trainer-events.js';

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

/** Images per class of the held-out validation split (`data.validation.perClass`) and of the test set. */
const VAL_PER_CLASS = 20;
const TEST_PER_CLASS = 100;
const STEPS_PER_EPOCH = 20;

/** Confusion rows of `perClass` images; tail mistakes land on head classes, the long-tail signature. */
function headwardConfusion(accuracy: readonly number[], perClass: number): number[][] {
  return accuracy.map((a, truth) => {
    const correct = Math.round(a * perClass);
    const row = Array.from({ length: accuracy.length }, () => 0);
    row[truth] = correct;
    for (let k = 0; k < perClass - correct; k++) {
      const predicted = truth === 0 ? 1 + (k % (accuracy.length - 1)) : k % truth;
      row[predicted] = (row[predicted] ?? 0) + 1;
    }
    return row;
  });
}

/**
 * A realistic finished sweep: 3 losses x 4 temperatures x 2 seeds on a 10-class long-tailed set
 * that holds out a validation split, recorded from the trainer events a run emits (an `epoch`
 * event, then `eval` on val and on test, every epoch), with checkpoints and a worker; a few runs
 * failed, are running, queued or cancelled.
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
            data: {
              // A folder of images: class names come from its folders, so the dashboard shows indices.
              source: 'image-folder',
              root: '/data/lt-10',
              longTail: { profile: 'exp', imbalanceFactor: 100, imgMax: 500 },
              validation: { perClass: VAL_PER_CLASS, seed: 0 },
            },
            method: { loss, options: { temperature } },
            optimizer: { lr: 0.1, momentum: 0.9, weightDecay: 5e-4 },
            epochs: EPOCHS,
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
    const events: FixtureTrainerEvent[] = [];
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const progress = epoch / EPOCHS;
      const accuracy = Array.from({ length: CLASSES }, (_, c) =>
        classAccuracy(loss, options.temperature, c, progress, rng),
      );
      const base = { runId: run.id, attempt: 1, epoch, step: epoch * STEPS_PER_EPOCH, time: runStart + epoch * 60_000 };
      events.push({
        ...base,
        type: 'epoch',
        trainLoss: 2.3 * Math.exp(-epoch / 3) + 0.2 + rng.normal(0, 0.02),
        lr: epoch >= 7 ? 0.001 : epoch >= 6 ? 0.01 : 0.1,
        imagesPerSecond: 1200 + 10 * (index % 3),
        seconds: 60,
      });
      // The held-out validation split and the test set are both balanced: per-class rows of
      // VAL_PER_CLASS and TEST_PER_CLASS images; the trainer evaluates both at every epoch.
      for (const [split, perClass, shift] of [
        ['val', VAL_PER_CLASS, 0],
        ['test', TEST_PER_CLASS, -0.01],
      ] as const) {
        const scores = accuracy.map((a) => Math.min(1, Math.max(0, a + shift)));
        const balanced = scores.reduce((s, a) => s + a, 0) / CLASSES;
        events.push({
          ...base,
          type: 'eval',
          split,
          metrics: {
            top1: balanced,
            top5: Math.min(1, balanced + 0.15),
            many: scores.slice(0, 3).reduce((s, a) => s + a, 0) / 3,
            medium: scores.slice(3, 7).reduce((s, a) => s + a, 0) / 4,
            few: scores.slice(7).reduce((s, a) => s + a, 0) / 3,
          },
          perClassAccuracy: scores,
          trainCounts: [...TRAIN_COUNTS],
          confusion: headwardConfusion(scores, perClass),
        });
      }
      await store.recordArtifact({
        runId: run.id,
        path: `${run.id}/checkpoints/epoch-${epoch}.ckpt`,
        kind: 'checkpoint',
        epoch,
        sizeBytes: 4_500_000 + epoch,
      });
    }
    await recordTrainerEvents(store, events, 'val/top1');
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
    // What a worker reports of its host's data sets (issue #23): one present, one missing.
    dataSources: [
      {
        source: 'fashion-mnist',
        path: '/data/datasets/fashion-mnist',
        via: 'LTLAB_FASHION_MNIST_DIR',
        present: true,
        missing: null,
        origin: 'well-known',
      },
      {
        source: 'cifar100',
        path: '/data/datasets/cifar-100-binary',
        via: 'data.root',
        present: false,
        missing: '/data/datasets/cifar-100-binary/fine_label_names.txt',
        origin: 'recipe',
      },
    ],
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

/**
 * The main job's four methods (configs/sweeps/fmnist-lt-small-methods.yaml) as the orchestrator
 * expands and records them: variants that set `method: {...}`, so the swept keys are the leaves
 * that differ (its committed-sweeps spec checks the same list), some of them set by one method
 * only. Its 8-epoch top-1 / many / medium / few from configs/fashion-mnist-lt/README.md.
 */
export const VARIANT_METHODS: ReadonlyArray<{
  name: string;
  method: JsonObject;
  /** top-1, many, medium, few. */
  result: readonly [number, number, number, number];
}> = [
  {
    name: 'ce',
    method: { loss: 'cross-entropy', options: {}, projection: { dim: 128 }, head: {} },
    result: [0.5091, 0.6946, 0.4827, 0.085],
  },
  {
    name: 'balanced-softmax',
    method: { loss: 'balanced-softmax', options: {}, projection: { dim: 128 }, head: {} },
    result: [0.663, 0.755, 0.5903, 0.542],
  },
  {
    name: 'ldam-drw',
    method: {
      loss: 'ldam',
      options: { maxM: 0.5, s: 1 },
      projection: { dim: 128 },
      head: {},
      drw: { startEpoch: 6, beta: 0.9999 },
    },
    result: [0.673, 0.7408, 0.608, 0.601],
  },
  {
    name: 'reslt',
    method: {
      loss: 'reslt',
      options: { beta: 0.99, mediumTailRange: [5, 10], tailRange: [8, 10] },
      projection: { dim: 128 },
      head: {},
    },
    result: [0.6579, 0.6704, 0.717, 0.538],
  },
];

export const VARIANT_SWEPT_KEYS = [
  'method.loss',
  'method.options.maxM',
  'method.options.s',
  'method.drw.startEpoch',
  'method.drw.beta',
  'method.options.beta',
  'method.options.mediumTailRange',
  'method.options.tailRange',
] as const;

/** A finished sweep built from variants, shaped like the main job's (objective test/few, max). */
export async function seedVariantsSweep(store: PrismaRunStore, sweepId = 'sw-variants'): Promise<string[]> {
  await store.saveSweep({
    id: sweepId,
    name: 'fmnist-lt-small-methods',
    spec: { variants: VARIANT_METHODS.map((v) => ({ name: v.name, set: { method: v.method } })) },
    specHash: `spec-${sweepId}`,
    objectiveMetric: 'test/few',
    objectiveMode: 'max',
    priority: 60,
    maxConcurrency: null,
  });
  const runs: RunInput[] = VARIANT_METHODS.map((variant, ordinal) => ({
    id: `${sweepId}-${variant.name}`,
    sweepId,
    fingerprint: `fp-${sweepId}-${ordinal}`,
    config: {
      data: { source: 'fashion-mnist', longTail: { profile: 'fmnist-lt-small', imgMax: 1000 } },
      backbone: { name: 'resnet8' },
      method: variant.method,
      optimizer: { lr: 0.1, momentum: 0.9 },
      epochs: 8,
      seed: 0,
    },
    configHash: `ch-${sweepId}-${ordinal}`,
    label: variant.name,
    ordinal,
    sweptKeys: [...VARIANT_SWEPT_KEYS],
  }));
  await store.addRuns(runs);
  const start = Date.parse('2026-12-05T08:00:00Z');
  for (const [index, variant] of VARIANT_METHODS.entries()) {
    const runId = runs[index]?.id ?? '';
    const [top1, many, medium, few] = variant.result;
    await store.markRunStarted({ runId, attempt: 1, node: 'local', slot: `cpu${index % 2}`, at: new Date(start) });
    await store.recordEvaluation({ runId, split: 'test', epoch: 8, top1, many, medium, few, objective: few });
    await store.markRunFinished({ runId, attempt: 1, status: 'succeeded', at: new Date(start + 60_000) });
  }
  return runs.map((run) => run.id);
}

export const PRUNED_RUN = 'run-pruned-best-on-val';

/**
 * One finished 8-epoch run as the recorder stores it: epochs 1..8, validation and test
 * evaluations, a checkpoint per epoch of which keepLast 2 kept epochs 7 and 8 (the others were
 * reported deleted), and best.ckpt holding epoch 5, chosen by top-1 on the validation split.
 */
export async function seedPrunedRun(store: PrismaRunStore, id = PRUNED_RUN): Promise<string> {
  await store.addRuns([
    {
      id,
      sweepId: null,
      fingerprint: `fp-${id}`,
      config: {
        data: { source: 'fashion-mnist', validation: { perClass: 20, seed: 0 } },
        method: { loss: 'balanced-softmax' },
        epochs: EPOCHS,
        checkpoint: { everyEpochs: 1, keepLast: 2, keepBest: true },
        stages: [],
      },
      configHash: `ch-${id}`,
      label: 'balanced-softmax, best on validation',
      ordinal: 0,
      sweptKeys: [],
    },
  ]);
  const start = Date.parse('2026-03-02T08:00:00Z');
  await store.markRunStarted({ runId: id, attempt: 1, node: 'gpu-node-2', slot: 'gpu0', at: new Date(start) });
  const validation = [0.31, 0.45, 0.52, 0.6, 0.71, 0.69, 0.7, 0.68];
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    const wallTime = new Date(start + epoch * 60_000);
    const base = { runId: id, step: epoch * 20, epoch, attempt: 1, wallTime };
    const val = validation[epoch - 1] as number;
    await store.recordMetrics([
      { ...base, name: 'loss', split: 'train', value: 2 / epoch },
      { ...base, name: 'top1', split: 'val', value: val },
      { ...base, name: 'top1', split: 'test', value: val - 0.05 },
    ]);
    for (const [split, top1] of [
      ['val', val],
      ['test', val - 0.05],
    ] as const) {
      await store.recordEvaluation({
        runId: id,
        split,
        epoch,
        top1,
        perClass: { accuracy: Array.from({ length: CLASSES }, () => top1), trainCounts: [...TRAIN_COUNTS] },
      });
    }
    const path = `${id}/checkpoints/epoch-${String(epoch).padStart(5, '0')}.ckpt`;
    await store.recordArtifact({
      runId: id,
      path,
      kind: 'checkpoint',
      epoch,
      sizeBytes: 4_500_000,
      sha256: `sha-${epoch}`,
    });
    if (epoch > 2) {
      const pruned = `${id}/checkpoints/epoch-${String(epoch - 2).padStart(5, '0')}.ckpt`;
      await store.markArtifactsRemoved(id, [pruned], wallTime);
    }
    if (val >= Math.max(...validation.slice(0, epoch))) {
      await store.recordArtifact({
        runId: id,
        path: `${id}/checkpoints/best.ckpt`,
        kind: 'best-checkpoint',
        epoch,
        sizeBytes: 4_500_000,
        sha256: `sha-${epoch}`,
        selection: { metric: 'top1', split: 'val', mode: 'max', value: val },
      });
    }
    await store.markRunProgress({ runId: id, attempt: 1, at: wallTime, epoch });
  }
  await store.markRunFinished({
    runId: id,
    attempt: 1,
    status: 'succeeded',
    at: new Date(start + (EPOCHS + 1) * 60_000),
  });
  return id;
}

/** Fashion-MNIST-LT as the recipes build it (exp profile, 1,000 head images, imbalance 100): head → tail. */
export const FMNIST_LT_COUNTS = [1000, 599, 359, 215, 129, 77, 46, 27, 16, 10] as const;
/** Rows of the held-out validation split (`data.validation.fraction: 0.1`, at least one per class). */
const FMNIST_VAL_COUNTS = FMNIST_LT_COUNTS.map((n) => Math.max(1, Math.round(n / 10)));
export const FMNIST_METHODS = ['cross-entropy', 'balanced-softmax'] as const;
export const FMNIST_SEEDS = [0, 1, 2] as const;
export const FMNIST_EPOCHS = 6;

/**
 * A Fashion-MNIST-LT sweep (`data.source: fashion-mnist`, so the dashboard knows its class
 * names): 2 losses × 3 seeds, 6 epochs recorded from trainer events: an `epoch` event, then an
 * evaluation of the validation split the config holds out (rows of 10% of each class's training
 * images, so row totals differ, 1..100) and of the test set (1,000 images per class), each with
 * per-class accuracy, training counts and confusion.
 */
export async function seedFashionMnistSweep(store: PrismaRunStore, sweepId = 'sw-fmnist-names'): Promise<string[]> {
  await store.saveSweep({
    id: sweepId,
    name: 'fmnist-lt loss x seed',
    spec: { grid: { 'method.loss': [...FMNIST_METHODS] }, replicates: [...FMNIST_SEEDS] },
    specHash: `spec-${sweepId}`,
    objectiveMetric: 'test/top1',
    objectiveMode: 'max',
    priority: 0,
    maxConcurrency: null,
  });
  const runs: RunInput[] = FMNIST_METHODS.flatMap((loss, m) =>
    FMNIST_SEEDS.map((seed, s) => ({
      id: `${sweepId}-${loss}-s${seed}`,
      sweepId,
      fingerprint: `fp-${sweepId}-${loss}-${seed}`,
      config: {
        data: {
          source: 'fashion-mnist',
          longTail: { profile: 'exp', imbalanceFactor: 100, imgMax: 1000 },
          validation: { fraction: 0.1, seed: 0 },
        },
        backbone: { name: 'resnet8' },
        method: { loss },
        optimizer: { lr: 0.1, momentum: 0.9 },
        epochs: FMNIST_EPOCHS,
        seed,
      },
      configHash: `ch-${sweepId}-${loss}-${seed}`,
      label: `${loss} seed=${seed}`,
      ordinal: m * FMNIST_SEEDS.length + s,
      sweptKeys: ['method.loss', 'seed'],
    })),
  );
  await store.addRuns(runs);
  const start = Date.parse('2026-12-01T08:00:00Z');
  const shot = (accuracy: readonly number[], pick: (count: number) => boolean) => {
    const chosen = accuracy.filter((_, c) => pick(FMNIST_LT_COUNTS[c] ?? 0));
    return chosen.reduce((sum, a) => sum + a, 0) / chosen.length;
  };
  /** Rows of `perClass[c]` images; a class's mistakes mostly land on the class before it (head-ward). */
  const confusionOf = (accuracy: readonly number[], perClass: readonly number[]) =>
    accuracy.map((a, truth) => {
      const total = perClass[truth] ?? 0;
      const row = Array.from({ length: accuracy.length }, () => 0);
      const correct = Math.round(a * total);
      row[truth] = correct;
      const wrong = total - correct;
      // 70% of the mistakes go to the class before (head-ward), the rest to the head class.
      const near = truth === 0 ? 1 : truth - 1;
      const far = truth <= 1 ? 2 : 0;
      const toNear = Math.ceil(wrong * 0.7);
      row[near] = (row[near] ?? 0) + toNear;
      row[far] = (row[far] ?? 0) + wrong - toNear;
      return row;
    });
  for (const [index, run] of runs.entries()) {
    const loss = (run.config as { method: { loss: string } }).method.loss;
    const rng = new Rng(`fmnist-${run.id}`);
    const runStart = start + index * 600_000;
    await store.markRunStarted({
      runId: run.id,
      attempt: 1,
      node: 'local',
      slot: `cpu${index % 2}`,
      at: new Date(runStart),
    });
    const events: FixtureTrainerEvent[] = [];
    for (let epoch = 1; epoch <= FMNIST_EPOCHS; epoch++) {
      const progress = epoch / FMNIST_EPOCHS;
      const accuracy = FMNIST_LT_COUNTS.map((_, c) => {
        const tail = c / (FMNIST_LT_COUNTS.length - 1);
        const base = 0.93 - tail * (loss === 'balanced-softmax' ? 0.35 : 0.8);
        return Math.min(1, Math.max(0, base * (0.4 + 0.6 * progress) + rng.normal(0, 0.03)));
      });
      const top1 = accuracy.reduce((s, a) => s + a, 0) / accuracy.length;
      const base = { runId: run.id, attempt: 1, epoch, step: epoch * 50, time: runStart + epoch * 60_000 };
      events.push({
        ...base,
        type: 'epoch',
        trainLoss: 2 * Math.exp(-epoch / 2) + 0.3 + rng.normal(0, 0.05),
        lr: 0.1,
        imagesPerSecond: 1400,
        seconds: 60,
      });
      const metrics = {
        top1,
        top5: Math.min(1, top1 + 0.2),
        many: shot(accuracy, (n) => n > 100),
        medium: shot(accuracy, (n) => n >= 20 && n <= 100),
        few: shot(accuracy, (n) => n < 20),
      };
      const perClass = { perClassAccuracy: accuracy, trainCounts: [...FMNIST_LT_COUNTS] };
      // The trainer evaluates the held-out split first, then the test set, at every epoch.
      events.push(
        {
          ...base,
          type: 'eval',
          split: 'val',
          metrics,
          ...perClass,
          confusion: confusionOf(accuracy, FMNIST_VAL_COUNTS),
        },
        {
          ...base,
          type: 'eval',
          split: 'test',
          metrics,
          ...perClass,
          confusion: confusionOf(
            accuracy,
            FMNIST_LT_COUNTS.map(() => 1000),
          ),
        },
      );
    }
    await recordTrainerEvents(store, events, 'test/top1');
    await store.markRunFinished({
      runId: run.id,
      attempt: 1,
      status: 'succeeded',
      at: new Date(runStart + (FMNIST_EPOCHS + 1) * 60_000),
    });
  }
  return runs.map((run) => run.id);
}
