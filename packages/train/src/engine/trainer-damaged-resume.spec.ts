import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainerEvent } from '@ltlab/config';
import { parseRunConfig, type RunConfig } from '@ltlab/config';
import { initRuntime } from '@ltlab/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyCeConfig, tinyPacoConfig, weightsOf } from '../__fixtures__/tiny-run-config.js';
import { epochCheckpointPath, readCheckpoint, writeCheckpoint } from './checkpoint-file.js';
import { trainRun } from './trainer.js';

/**
 * Resuming past damaged checkpoints (docs/architecture.md §7): the trainer uses the newest one
 * that is intact and fits the run, and says which it used and which it rejected, and why, both
 * on its log and in the `started` event. When none is usable it starts again from epoch 1, loudly.
 */
describe('resuming when checkpoints are damaged', () => {
  const config = parseRunConfig(tinyCeConfig());
  const root = mkdtempSync(join(tmpdir(), 'ltlab-damaged-'));
  /** Weights after each epoch of the uninterrupted run (its checkpoints 1..3). */
  let straight: Record<string, number[]>;

  beforeAll(async () => {
    await initRuntime({ backend: 'wasm' });
    await trainRun({ config, runId: 'straight', runDir: join(root, 'straight'), onLog: () => {} });
    straight = weightsOf(join(root, 'straight'));
  });

  /** A copy of the uninterrupted run's directory (checkpoints of epochs 1..3) under `runId`. */
  function copyRun(runId: string): string {
    cpSync(join(root, 'straight'), join(root, runId), { recursive: true });
    return join(root, runId, 'checkpoints');
  }

  async function resume(runId: string, runConfig: RunConfig = config) {
    const events: TrainerEvent[] = [];
    const log: string[] = [];
    await trainRun({
      config: runConfig,
      runId,
      runDir: join(root, runId),
      resume: true,
      onEvent: (e) => events.push(e),
      onLog: (line) => log.push(line),
    });
    const started = events[0];
    if (started?.type !== 'started') throw new Error(`first event is ${started?.type}`);
    return { events, log, started };
  }

  it('resumes from the previous checkpoint when the newest is truncated, and reports it', async () => {
    const dir = copyRun('truncated');
    const newest = epochCheckpointPath(dir, 3);
    const bytes = readFileSync(newest);
    writeFileSync(newest, bytes.subarray(0, bytes.length - 100));

    const { events, log, started } = await resume('truncated');
    expect(started).toMatchObject({
      epoch: 3,
      resumedFrom: 'truncated/checkpoints/epoch-00002.ckpt',
      rejectedCheckpoints: [
        {
          file: 'truncated/checkpoints/epoch-00003.ckpt',
          code: 'CHECKPOINT.CORRUPT',
          reason: expect.stringMatching(/^truncated: payload is \d+ of \d+ bytes$/),
        },
      ],
    });
    expect(log).toEqual([
      expect.stringMatching(
        /^checkpoint epoch-00003\.ckpt rejected \[CHECKPOINT\.CORRUPT\]: truncated: .*; kept as epoch-00003\.ckpt\.rejected$/,
      ),
      'resuming from epoch-00002.ckpt: epoch 3 is next',
    ]);
    // Epoch 3 trained again, exactly as the first time; the damaged bytes are kept aside.
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.epoch)).toEqual([3]);
    expect(differingTensors(weightsOf(join(root, 'truncated')), straight)).toEqual([]);
    expect(readFileSync(`${newest}.rejected`)).toEqual(bytes.subarray(0, bytes.length - 100));
  });

  it('passes over altered bytes and a checkpoint past the run’s epochs to an older intact one', async () => {
    const dir = copyRun('altered');
    for (const epoch of [2, 3]) {
      const path = epochCheckpointPath(dir, epoch);
      const bytes = readFileSync(path);
      bytes[bytes.length - 7] = (bytes[bytes.length - 7] as number) ^ 0x5a;
      writeFileSync(path, bytes);
    }
    // Intact, but of a longer run: epoch 9 of a 3-epoch run.
    const intact = readCheckpoint(epochCheckpointPath(dir, 1));
    writeCheckpoint(epochCheckpointPath(dir, 9), { ...intact, state: { ...intact.state, epoch: 9 } });

    const { log, started } = await resume('altered');
    expect(started.resumedFrom).toBe('altered/checkpoints/epoch-00001.ckpt');
    expect(started.rejectedCheckpoints).toEqual([
      {
        file: 'altered/checkpoints/epoch-00009.ckpt',
        code: 'CONFIG.INVALID',
        reason: "holds epoch 9, past this run's 3 epochs",
      },
      { file: 'altered/checkpoints/epoch-00003.ckpt', code: 'CHECKPOINT.CORRUPT', reason: 'payload checksum mismatch' },
      { file: 'altered/checkpoints/epoch-00002.ckpt', code: 'CHECKPOINT.CORRUPT', reason: 'payload checksum mismatch' },
    ]);
    expect(log).toHaveLength(4);
    expect(differingTensors(weightsOf(join(root, 'altered')), straight)).toEqual([]);
  });

  it('starts again from epoch 1 when every checkpoint is damaged, listing all of them and saying so', async () => {
    const dir = copyRun('all-damaged');
    const damage: Record<number, (bytes: Buffer) => Buffer> = {
      1: (bytes) => bytes.subarray(0, 30), // cut inside the header
      2: (bytes) => Buffer.concat([bytes.subarray(0, 12), Buffer.from('{not json'), bytes.subarray(21)]),
      3: (bytes) => {
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
        return bytes;
      },
    };
    for (const [epoch, change] of Object.entries(damage)) {
      const path = epochCheckpointPath(dir, Number(epoch));
      writeFileSync(path, change(readFileSync(path)));
    }

    const { events, log, started } = await resume('all-damaged');
    expect(started).toMatchObject({ epoch: 1, step: 0, resumedFrom: null });
    expect(started.rejectedCheckpoints.map((r) => [r.file, r.code, r.reason])).toEqual([
      ['all-damaged/checkpoints/epoch-00003.ckpt', 'CHECKPOINT.CORRUPT', 'payload checksum mismatch'],
      ['all-damaged/checkpoints/epoch-00002.ckpt', 'CHECKPOINT.CORRUPT', 'unreadable JSON header'],
      [
        'all-damaged/checkpoints/epoch-00001.ckpt',
        'CHECKPOINT.CORRUPT',
        expect.stringMatching(/^truncated: 30 bytes, shorter than its \d+-byte header$/),
      ],
    ]);
    expect(log.at(-1)).toBe(
      'WARNING: all 3 checkpoints were rejected (damaged or not of this run): training starts again from epoch 1',
    );
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.epoch)).toEqual([1, 2, 3]);
    // The damaged files sat aside, so keepLast (3) kept this attempt's own checkpoints.
    expect(readdirSync(dir).sort()).toEqual([
      'epoch-00001.ckpt',
      'epoch-00001.ckpt.rejected',
      'epoch-00002.ckpt',
      'epoch-00002.ckpt.rejected',
      'epoch-00003.ckpt',
      'epoch-00003.ckpt.rejected',
    ]);
    expect(differingTensors(weightsOf(join(root, 'all-damaged')), straight)).toEqual([]);
  });

  it('rejects a checkpoint that loads only in part and trains from fresh weights, not its half', async () => {
    // PaCo's checkpoint holds backbone, projection MLP, key encoder and queue: the backbone loads,
    // then the MLP refuses a reshaped tensor.
    const paco = parseRunConfig(tinyPacoConfig());
    await trainRun({ config: paco, runId: 'paco', runDir: join(root, 'paco'), onLog: () => {} });
    const fresh = weightsOf(join(root, 'paco'));
    const path = epochCheckpointPath(join(root, 'paco', 'checkpoints'), 1);
    const read = readCheckpoint(path);
    const [name, tensor] = Object.entries(read.tensors).find(([key]) => key.startsWith('mlp/')) ?? [];
    if (name === undefined || tensor === undefined) throw new Error('no mlp tensor in the PaCo checkpoint');
    writeCheckpoint(path, {
      ...read,
      tensors: { ...read.tensors, [name]: { ...tensor, shape: [tensor.values.length] } },
    });

    const { started, log } = await resume('paco', paco);
    expect(started).toMatchObject({ epoch: 1, resumedFrom: null });
    expect(started.rejectedCheckpoints).toEqual([
      {
        file: 'paco/checkpoints/epoch-00001.ckpt',
        code: 'CONFIG.INVALID',
        reason: expect.stringContaining(name.slice('mlp/'.length)),
      },
    ]);
    expect(log.at(-1)).toMatch(/^WARNING: the only checkpoint was rejected/);
    // Had the backbone kept the checkpoint's weights, this run would not repeat the first.
    expect(differingTensors(weightsOf(join(root, 'paco')), fresh)).toEqual([]);
    expect(existsSync(`${path}.rejected`)).toBe(true);
  });
});

/** Names of the tensors whose values differ (a diff of whole weight maps takes minutes to print). */
function differingTensors(a: Record<string, number[]>, b: Record<string, number[]>): string[] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return names.filter((name) => {
    const x = a[name];
    const y = b[name];
    return x === undefined || y === undefined || x.length !== y.length || x.some((value, i) => value !== y[i]);
  });
}
