import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { loadConfigFile, parseRunConfig, type RunConfig } from '@ltlab/config';
import { BACKEND_CHOICES, LtlabError } from '@ltlab/core';
import { type JsonObject, openRunStore, type PrismaRunStore, type RunRecord } from '@ltlab/store';
import { z } from 'zod';
import { validateFlags } from '../args.js';
import type { CommandInput } from '../command-spec.js';
import { artifactRoot } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { importTrainingPackage } from '../training-packages.js';
import { resolveRun } from './run-ref.js';

const flagSchema = z.object({
  checkpoint: z.enum(['best', 'last']).default('best'),
  data: z.string().optional(),
  // Commander reads a lone `--no-record` as `record`, true unless given; it arrives under this name.
  'no-record': z.boolean().default(true),
  sweep: z.string().optional(),
  backend: z.enum(BACKEND_CHOICES).optional(),
  json: z.boolean().default(false),
});

/** The config the trainer writes in a run directory (@ltlab/train's RUN_CONFIG_FILE; TF-free here). */
const RUN_CONFIG_FILE = 'config.json';

/** What `ltlab eval` evaluates: a checkpoint file, its config, and the stored run it belongs to (if any). */
interface Target {
  checkpoint: string;
  config: RunConfig;
  run: RunRecord | null;
}

/**
 * `ltlab eval <run|checkpoint>`: scores a saved checkpoint on the run's test split (or the test
 * split of another config's `data:` block), prints top-1 and many/medium/few, and records it as
 * an evaluation of the run on split `eval-test` (`eval-<config name>` with --data) at the
 * checkpoint's epoch, unless --no-record. The training evaluations (`test`, `val`) and the run's
 * objective stay as training left them.
 */
export async function evalCommand(input: CommandInput): Promise<number> {
  const values = validateFlags(flagSchema, input);
  const record = values['no-record'];
  const ref = input.args[0] as string;
  const out = createOutput(values.json);
  const asCheckpoint = looksLikeCheckpoint(ref);
  // A checkpoint evaluated without recording needs no store; everything else reads the run from it.
  const store = asCheckpoint && !record ? null : await openRunStore();
  try {
    const target = asCheckpoint
      ? await checkpointTarget(ref, store)
      : await runTarget(requireStore(store), ref, values.checkpoint, values.sweep);
    const other = values.data === undefined ? null : await otherData(target.config, values.data);
    const config = other?.config ?? target.config;
    const split = other === null ? 'eval-test' : `eval-${other.name}`;

    // TensorFlow.js loads only here, once the arguments and the store have been checked.
    const { initRuntime } = await importTrainingPackage('@ltlab/runtime', 'ltlab eval', () => import('@ltlab/runtime'));
    const { evaluateCheckpoint } = await importTrainingPackage(
      '@ltlab/train',
      'ltlab eval',
      () => import('@ltlab/train'),
    );
    const runtime = await initRuntime(values.backend === undefined ? {} : { backend: values.backend });
    process.stderr.write(`backend: ${runtime.backend} (${runtime.reason})\n`);
    const scored = await evaluateCheckpoint({
      config,
      checkpoint: target.checkpoint,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    const { metrics, perClassAccuracy, trainCounts, confusion, segmentation } = scored.event;

    const recorded = record && store !== null && target.run !== null;
    if (recorded && store !== null && target.run !== null) {
      const perClass = perClassAccuracy.length > 0 || trainCounts.length > 0;
      await store.recordEvaluation({
        runId: target.run.id,
        split,
        epoch: scored.epoch,
        top1: metrics.top1,
        ...(metrics.top5 === null ? {} : { top5: metrics.top5 }),
        ...(metrics.many === null ? {} : { many: metrics.many }),
        ...(metrics.medium === null ? {} : { medium: metrics.medium }),
        ...(metrics.few === null ? {} : { few: metrics.few }),
        ...(perClass ? { perClass: { accuracy: perClassAccuracy, trainCounts } } : {}),
        ...(confusion === null ? {} : { confusion }),
        ...(segmentation === undefined ? {} : { segmentation: JSON.parse(JSON.stringify(segmentation)) as JsonObject }),
        standalone: true,
      });
    }
    const result = {
      runId: target.run?.id ?? null,
      checkpoint: target.checkpoint,
      epoch: scored.epoch,
      split,
      data: values.data ?? null,
      metrics,
      ...(segmentation === undefined
        ? {}
        : {
            segmentation: {
              mIoU: segmentation.mIoU,
              aAcc: segmentation.pixelAccuracy,
              mAcc: segmentation.meanClassAccuracy,
              headIoU: segmentation.frequencyGroups.head,
              bodyIoU: segmentation.frequencyGroups.body,
              tailIoU: segmentation.frequencyGroups.tail,
            },
          }),
      recorded,
    };
    if (out.json) out.data(result);
    else {
      out.print(`${target.run?.id ?? '(no stored run)'}: ${target.checkpoint} (epoch ${scored.epoch})`);
      out.print(scoreLine(result));
      if (recorded) out.print(`recorded as evaluation '${split}' at epoch ${scored.epoch}`);
      else if (record) out.print(`not recorded: the store has no run for this checkpoint`);
    }
    return EXIT.ok;
  } finally {
    await store?.close();
  }
}

/** `top-1 71.25%  many 80.00%  medium 62.50%  few -`, or a segmentation run's mIoU and IoU groups. */
export function scoreLine(result: {
  metrics: { top1: number; many: number | null; medium: number | null; few: number | null };
  segmentation?: {
    mIoU: number | null;
    aAcc: number | null;
    headIoU: number | null;
    bodyIoU: number | null;
    tailIoU: number | null;
  };
}): string {
  const pct = (value: number | null) => (value === null ? '-' : `${(value * 100).toFixed(2)}%`);
  const s = result.segmentation;
  if (s !== undefined)
    return `mIoU ${pct(s.mIoU)}  aAcc ${pct(s.aAcc)}  head ${pct(s.headIoU)}  body ${pct(s.bodyIoU)}  tail ${pct(s.tailIoU)}`;
  const m = result.metrics;
  return `top-1 ${pct(m.top1)}  many ${pct(m.many)}  medium ${pct(m.medium)}  few ${pct(m.few)}`;
}

function looksLikeCheckpoint(ref: string): boolean {
  return ref.endsWith('.ckpt') || ref.includes('/') || ref.includes('\\');
}

function requireStore(store: PrismaRunStore | null): PrismaRunStore {
  if (store === null) throw new LtlabError('INTERNAL', 'ltlab eval: the store was not opened.');
  return store;
}

/** A run's best.ckpt or newest epoch checkpoint under the artifact root, with the run's stored config. */
async function runTarget(
  store: PrismaRunStore,
  ref: string,
  which: 'best' | 'last',
  sweepId: string | undefined,
): Promise<Target> {
  const run = await resolveRun(store, ref, sweepId);
  const dir = join(artifactRoot(), run.id, 'checkpoints');
  const checkpoint = which === 'best' ? join(dir, 'best.ckpt') : newestEpochFile(dir);
  if (checkpoint === null || !existsSync(checkpoint)) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `Run ${run.id} has no ${which === 'best' ? 'best.ckpt' : 'epoch checkpoint'} in ${dir}.`,
      {
        fix:
          which === 'best'
            ? 'Evaluate its newest epoch checkpoint with --checkpoint last (a run with checkpoint.keepBest false keeps no best.ckpt), or set LTLAB_ARTIFACTS to the artifact root it was trained under.'
            : 'Set LTLAB_ARTIFACTS to the artifact root the run was trained under (`ltlab runs show` lists its checkpoints).',
        details: { runId: run.id, dir },
      },
    );
  }
  return { checkpoint, config: parseRunConfig(run.config, `stored config of run ${run.id}`), run };
}

/** The newest `epoch-NNNNN.ckpt` in `dir` (the trainer's names sort by epoch); null when there is none. */
function newestEpochFile(dir: string): string | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const last = names
    .filter((name) => /^epoch-\d{5}\.ckpt$/.test(name))
    .sort()
    .at(-1);
  return last === undefined ? null : join(dir, last);
}

/**
 * A checkpoint file and its config: the `config.json` in the run directory above its
 * `checkpoints/` folder, else the stored config of the run that directory is named after. The
 * run, when the store has it, is where the evaluation is recorded.
 */
async function checkpointTarget(ref: string, store: PrismaRunStore | null): Promise<Target> {
  const checkpoint = resolve(ref);
  if (!existsSync(checkpoint) || !statSync(checkpoint).isFile()) {
    throw new LtlabError('CONFIG.INVALID', `Checkpoint ${checkpoint}: no such file.`, {
      fix: 'Name an epoch-NNNNN.ckpt or best.ckpt file, or a run id (`ltlab runs show <run>` lists its checkpoints).',
      details: { path: checkpoint },
    });
  }
  const runDir = dirname(dirname(checkpoint));
  const runId = basename(runDir);
  const run = store === null ? null : await store.getRun(runId);
  const configFile = join(runDir, RUN_CONFIG_FILE);
  if (existsSync(configFile)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(configFile, 'utf8'));
    } catch (cause) {
      throw new LtlabError('CONFIG.INVALID', `${configFile} is not JSON: ${String(cause)}`, {
        fix: 'Evaluate the run by its id instead (the store keeps its config).',
        cause,
      });
    }
    return { checkpoint, config: parseRunConfig(raw, configFile), run };
  }
  if (run !== null) return { checkpoint, config: parseRunConfig(run.config, `stored config of run ${run.id}`), run };
  throw new LtlabError(
    'CONFIG.INVALID',
    `Checkpoint ${checkpoint}: no ${RUN_CONFIG_FILE} in ${runDir}${store === null ? '' : `, and no stored run '${runId}'`}.`,
    {
      fix: 'Evaluate a checkpoint in the checkpoints/ folder of a run directory written by `ltlab train` or a worker, or name the run by its id.',
      details: { path: checkpoint },
    },
  );
}

/** The run's config with the `data:` block of `file` (a run config file; `extends` allowed). */
async function otherData(config: RunConfig, file: string): Promise<{ config: RunConfig; name: string }> {
  const raw = await loadConfigFile(file);
  const data = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).data : undefined;
  if (data === undefined) {
    throw new LtlabError('CONFIG.INVALID', `--data ${file}: the file has no data: block.`, {
      fix: 'Name a run config file whose data: block describes the test set to evaluate on.',
      details: { path: file },
    });
  }
  const name = basename(file, extname(file)).replace(/[^\w.-]/g, '_');
  return { config: parseRunConfig({ ...config, data }, `--data ${file}`), name };
}
