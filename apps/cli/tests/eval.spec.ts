import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRunConfig, type TrainerEvent } from '@ltlab/config';
import { applyEvent, eventEnvelopeSchema } from '@ltlab/orchestrator';
import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/ltlab.mjs', import.meta.url));
const tiny8 = [
  { name: 'resize', size: 8 },
  { name: 'normalize', mean: [0.286], std: [0.353] },
];

/** Three quick epochs on 8 x 8 Fashion-MNIST-LT, each evaluated and checkpointed; best by test top-1. */
const config = parseRunConfig({
  seed: 5,
  data: {
    source: 'fashion-mnist',
    longTail: { imbalanceFactor: 4, imgMax: 16 },
    transforms: { train: tiny8, test: tiny8 },
  },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.05 },
  schedule: { type: 'constant' },
  epochs: 3,
  batchSize: 16,
  evaluation: { maxPerClass: 6, batchSize: 32 },
  checkpoint: { everyEpochs: 1, keepLast: 3, keepBest: true },
});

interface Evaluated {
  runId: string | null;
  epoch: number;
  split: string;
  metrics: { top1: number; many: number | null; medium: number | null; few: number | null };
  recorded: boolean;
}

describe('ltlab eval', () => {
  let dir: string;
  let store: PrismaRunStore;
  let env: NodeJS.ProcessEnv;
  let events: TrainerEvent[];
  const ltlab = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
  const evaluated = (...args: string[]) => {
    const result = ltlab('eval', ...args, '--json');
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Evaluated;
  };
  const testEvaluations = () => events.flatMap((e) => (e.type === 'eval' && e.split === 'test' ? [e] : []));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-eval-'));
    env = {
      ...process.env,
      LTLAB_HOME: dir,
      DATABASE_URL: `file:${join(dir, 'ltlab.db')}`,
      LTLAB_ARTIFACTS: join(dir, 'artifacts'),
      LTLAB_BACKEND: 'wasm',
    };
    store = await openRunStore({ target: { provider: 'sqlite', url: env.DATABASE_URL as string }, migrate: true });
    writeFileSync(join(dir, 'run.json'), JSON.stringify(config));
    const trained = ltlab('train', join(dir, 'run.json'), '--out', join(dir, 'artifacts', 'tiny'), '--run-id', 'tiny');
    expect(trained.status, trained.stderr).toBe(0);
    events = trained.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TrainerEvent);
    const json = JSON.parse(JSON.stringify(config)) as Record<string, never>;
    await store.addRuns([
      {
        id: 'tiny',
        sweepId: null,
        fingerprint: 'tiny',
        config: json,
        configHash: 'tiny',
        label: 'tiny',
        ordinal: 0,
        sweptKeys: [],
      },
    ]);
    for (const [seq, event] of events.entries())
      await applyEvent(store, eventEnvelopeSchema.parse({ id: `e${seq}`, source: 'trainer', event }), async () => null);
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the top-1 of the run’s last evaluation for its last checkpoint, and records it', async () => {
    const last = testEvaluations().at(-1);
    const shown = evaluated('tiny', '--checkpoint', 'last');
    expect(shown).toMatchObject({ runId: 'tiny', epoch: 3, split: 'eval-test', recorded: true });
    expect(shown.metrics).toEqual(last?.metrics);
    const detail = await store.getRunDetail('tiny');
    expect(detail?.evaluations.find((e) => e.split === 'eval-test')).toMatchObject({
      epoch: 3,
      top1: last?.metrics.top1,
    });
    // The training record stands: its last epoch and its test evaluations.
    expect(detail?.run.lastEpoch).toBe(3);
    expect(detail?.evaluations.filter((e) => e.split === 'test').map((e) => e.epoch)).toEqual([1, 2, 3]);

    const text = ltlab('eval', 'tiny', '--checkpoint', 'last', '--no-record');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain(`top-1 ${((last?.metrics.top1 ?? Number.NaN) * 100).toFixed(2)}%`);
  }, 240_000);

  it('with --no-record scores best.ckpt as its epoch’s evaluation did, and records nothing', async () => {
    const before = (await store.getRunDetail('tiny'))?.evaluations.length;
    const best = evaluated('tiny', '--no-record');
    expect(best.recorded).toBe(false);
    expect(best.metrics).toEqual(testEvaluations().find((e) => e.epoch === best.epoch)?.metrics);
    expect((await store.getRunDetail('tiny'))?.evaluations.length).toBe(before);
  }, 240_000);

  it('evaluates a checkpoint file from the config.json beside it', async () => {
    const file = join(dir, 'artifacts', 'tiny', 'checkpoints', 'epoch-00002.ckpt');
    const shown = evaluated(file, '--no-record');
    // Without recording, no store is opened: the run directory alone is enough.
    expect(shown).toMatchObject({ runId: null, epoch: 2, recorded: false });
    expect(shown.metrics).toEqual(testEvaluations().find((e) => e.epoch === 2)?.metrics);
  }, 240_000);

  it('refuses a checkpoint path that is not there, naming it, with a coded error', () => {
    const missing = join(dir, 'artifacts', 'tiny', 'checkpoints', 'epoch-00009.ckpt');
    const result = ltlab('eval', missing);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('CONFIG.INVALID');
    expect(result.stderr).toContain(missing);
    const damaged = join(dir, 'damaged.ckpt');
    writeFileSync(damaged, 'not a checkpoint');
    const corrupt = ltlab('eval', damaged, '--no-record');
    expect(corrupt.status).not.toBe(0);
    expect(corrupt.stderr).toContain('damaged.ckpt');
  }, 240_000);
});
