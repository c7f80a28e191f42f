import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricPointInput, PrismaRunStore, RunInput } from '@ltlab/store';

/**
 * Script payloads as a careless user or an attacker could put them into a sweep file: each, if
 * it ran, would set `window.__xss` and fetch `/xss-probe` (and the image would fetch `/x`).
 */
export const PAYLOADS = {
  img: `<img src=x onerror="window.__xss=1;fetch('/xss-probe')">`,
  script: `<script>window.__xss=1;fetch('/xss-probe')</script>`,
  svg: `"><svg onload="window.__xss=1;fetch('/xss-probe')">`,
} as const;

export const PAYLOAD_SWEEP = 'sw-xss';
export const PAYLOAD_SWEEP_NAME = `${PAYLOADS.img} sweep`;
/** The variants (`method.loss`), in the order the runs are added. */
export const PAYLOAD_VARIANTS = [PAYLOADS.img, PAYLOADS.script, PAYLOADS.svg] as const;
export const PAYLOAD_SEEDS = [0, 1] as const;
export const PAYLOAD_CLASSES = [500, 120, 30, 8] as const;
export const PAYLOAD_EPOCHS = 3;

export const payloadRunId = (variant: number, seed: number) => `${PAYLOAD_SWEEP}-v${variant}-s${seed}`;
export const payloadLabel = (variant: number, seed: number) => `${PAYLOAD_VARIANTS[variant]} seed=${seed}`;
/** Per-class accuracy of a variant's runs on test: the same for every epoch and seed. */
export const payloadAccuracy = (variant: number) => PAYLOAD_CLASSES.map((_, c) => 0.9 - 0.15 * c + 0.02 * variant);
/** The failed run, with a payload in its error message. */
export const PAYLOAD_FAILED = payloadRunId(0, 0);
/** The running run, current job of a worker whose node and device names are payloads. */
export const PAYLOAD_RUNNING = payloadRunId(2, 1);

/**
 * A sweep whose every string the dashboard shows holds a payload: its name and description,
 * the variant names (a swept config value) and so the run labels, a config key and value every
 * run has, an error message, a checkpoint path, console lines, a worker's node and device.
 * Metrics, evaluations with per-class accuracy and confusion make every chart draw.
 */
export async function seedPayloadSweep(store: PrismaRunStore, artifactRoot: string): Promise<string[]> {
  await store.saveSweep({
    id: PAYLOAD_SWEEP,
    name: PAYLOAD_SWEEP_NAME,
    spec: { description: PAYLOADS.script, variants: PAYLOAD_VARIANTS.map((loss) => ({ method: { loss } })) },
    specHash: `spec-${PAYLOAD_SWEEP}`,
    objectiveMetric: 'test/top1',
    objectiveMode: 'max',
    priority: 0,
    maxConcurrency: null,
  });
  const runs: RunInput[] = PAYLOAD_VARIANTS.flatMap((loss, variant) =>
    PAYLOAD_SEEDS.map((seed) => ({
      id: payloadRunId(variant, seed),
      sweepId: PAYLOAD_SWEEP,
      fingerprint: `fp-${payloadRunId(variant, seed)}`,
      config: {
        method: { loss },
        notes: { [PAYLOADS.svg]: PAYLOADS.img },
        epochs: PAYLOAD_EPOCHS,
        seed,
      },
      configHash: `ch-${payloadRunId(variant, seed)}`,
      label: payloadLabel(variant, seed),
      ordinal: variant * PAYLOAD_SEEDS.length + seed,
      sweptKeys: ['method.loss', 'seed'],
    })),
  );
  await store.addRuns(runs);
  const start = Date.parse('2026-12-02T08:00:00Z');
  for (const [index, run] of runs.entries()) {
    const variant = Math.floor(index / PAYLOAD_SEEDS.length);
    const seed = index % PAYLOAD_SEEDS.length;
    const runStart = start + index * 600_000;
    await store.markRunStarted({ runId: run.id, attempt: 1, node: 'node-1', slot: 'gpu0', at: new Date(runStart) });
    const accuracy = payloadAccuracy(variant);
    const top1 = accuracy.reduce((s, a) => s + a, 0) / accuracy.length + 0.005 * seed;
    const points: MetricPointInput[] = [];
    for (let epoch = 1; epoch <= PAYLOAD_EPOCHS; epoch++) {
      const wallTime = new Date(runStart + epoch * 60_000);
      const base = { runId: run.id, step: epoch * 10, epoch, attempt: 1, wallTime };
      points.push(
        { ...base, name: 'loss', split: 'train', value: 2 / epoch + 0.1 * variant },
        { ...base, name: 'top1', split: 'test', value: top1 - 0.05 * (PAYLOAD_EPOCHS - epoch) },
      );
      await store.recordEvaluation({
        runId: run.id,
        split: 'test',
        epoch,
        top1,
        many: accuracy[0] ?? 0,
        medium: accuracy[1] ?? 0,
        few: accuracy[3] ?? 0,
        perClass: { accuracy, trainCounts: [...PAYLOAD_CLASSES] },
        confusion: accuracy.map((a, truth) =>
          PAYLOAD_CLASSES.map((_, predicted) =>
            predicted === truth ? Math.round(100 * a) : predicted === 0 ? 100 - Math.round(100 * a) : 0,
          ),
        ),
        objective: top1,
      });
      await store.recordArtifact({
        runId: run.id,
        path: `${run.id}/checkpoints/${PAYLOADS.svg}-${epoch}.ckpt`,
        kind: 'checkpoint',
        epoch,
        sizeBytes: 1_000_000,
      });
      await store.markRunProgress({ runId: run.id, attempt: 1, at: wallTime, epoch });
    }
    await store.recordMetrics(points);
    mkdirSync(join(artifactRoot, run.id), { recursive: true });
    writeFileSync(join(artifactRoot, run.id, 'console.log'), `epoch 1\n${PAYLOADS.script}\n${PAYLOADS.img}\n`);
    const end = new Date(runStart + (PAYLOAD_EPOCHS + 1) * 60_000);
    if (run.id === PAYLOAD_FAILED) {
      await store.markRunFinished({
        runId: run.id,
        attempt: 1,
        status: 'failed',
        errorCode: 'TRAIN.NAN_LOSS',
        errorMessage: `The loss became NaN: ${PAYLOADS.svg}`,
        at: end,
      });
    } else if (run.id !== PAYLOAD_RUNNING) {
      await store.markRunFinished({ runId: run.id, attempt: 1, status: 'succeeded', at: end });
    }
  }
  await store.heartbeatWorker({
    id: 'node-1/gpu0',
    node: PAYLOADS.svg,
    slot: 'gpu0',
    pid: 4242,
    backend: 'tensorflow',
    device: PAYLOADS.script,
    status: 'busy',
    currentRunId: PAYLOAD_RUNNING,
    at: new Date(),
  });
  return runs.map((run) => run.id);
}
