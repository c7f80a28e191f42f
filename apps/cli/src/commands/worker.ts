import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BACKEND_CHOICES, LtlabError } from '@ltlab/core';
import {
  artifactStoreFromEnv,
  DEFAULT_REDIS_TIMEOUT_MS,
  parseSlots,
  queueSettingsFromEnv,
  recipeDataSections,
  WorkerSupervisor,
} from '@ltlab/orchestrator';
import { z } from 'zod';
import { validateFlags } from '../args.js';
import type { CommandInput } from '../command-spec.js';
import { artifactRoot, gitInfo, trainerCommand } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { assertTrainingPackages } from '../training-packages.js';

export const workerFlagSchema = z.object({
  gpus: z.string().optional(),
  slots: z.union([z.literal('all'), z.coerce.number().int().positive()]).optional(),
  artifacts: z.string().optional(),
  backend: z.enum(BACKEND_CHOICES).optional(),
  'redis-timeout': z.coerce.number().positive().optional(),
});

/** --redis-timeout, else LTLAB_REDIS_TIMEOUT_S, else the default (3 minutes), in milliseconds. */
export function redisTimeoutMs(flag: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (flag !== undefined) return flag * 1000;
  const raw = env.LTLAB_REDIS_TIMEOUT_S;
  if (raw === undefined || raw === '') return DEFAULT_REDIS_TIMEOUT_MS;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new LtlabError('CONFIG.INVALID', `LTLAB_REDIS_TIMEOUT_S '${raw}' is not a positive number of seconds.`, {
      fix: `Set LTLAB_REDIS_TIMEOUT_S=180 (or unset it for ${DEFAULT_REDIS_TIMEOUT_MS / 1000} s).`,
      details: { field: 'LTLAB_REDIS_TIMEOUT_S' },
    });
  }
  return value * 1000;
}

/** Starts a worker supervisor; resolves when it has shut down after SIGINT/SIGTERM. */
export async function startWorker(
  values: z.output<typeof workerFlagSchema>,
  log: (line: string) => void,
  options: { logRuns?: boolean; checkDurability?: boolean } = {},
): Promise<{ supervisor: WorkerSupervisor; root: string }> {
  if (values.gpus !== undefined && values.slots !== undefined) {
    throw new LtlabError('CONFIG.INVALID', '--gpus and --slots exclude each other.', {
      fix: 'Use --gpus for GPU nodes, --slots for CPU-only nodes.',
    });
  }
  // Before Redis: a host without the training code must not take jobs it cannot train.
  assertTrainingPackages('ltlab worker');
  const slots = parseSlots({
    ...(values.gpus === undefined ? {} : { gpus: values.gpus }),
    ...(values.slots === undefined ? {} : { slots: values.slots }),
    gpuCount,
  });
  const settings = queueSettingsFromEnv();
  const timeoutMs = redisTimeoutMs(values['redis-timeout']);
  const root = values.artifacts ?? artifactRoot();
  mkdirSync(root, { recursive: true });
  if (values.backend !== undefined) process.env.LTLAB_BACKEND = values.backend;
  // LTLAB_ARTIFACT_URL: checkpoints go through the control host's artifact service; root is a cache.
  const artifactStore = artifactStoreFromEnv(process.env, (line) => log(`[worker] ${line}`));
  // Where this host has the recipes' data sets goes into every heartbeat (the queue page shows it).
  const knownData = await recipeDataSections(recipesDir());
  const supervisor = await WorkerSupervisor.start({
    settings,
    redisTimeoutMs: timeoutMs,
    ...(options.checkDurability === undefined ? {} : { checkDurability: options.checkDurability }),
    slots,
    trainer: trainerCommand(options),
    artifactRoot: root,
    ...(artifactStore === null ? {} : { artifactStore }),
    backend: process.env.LTLAB_BACKEND ?? 'auto',
    ...(process.env.LTLAB_LOCK_DURATION_MS === undefined
      ? {}
      : { lockDurationMs: Number(process.env.LTLAB_LOCK_DURATION_MS) }),
    ...(process.env.LTLAB_HEARTBEAT_MS === undefined ? {} : { heartbeatMs: Number(process.env.LTLAB_HEARTBEAT_MS) }),
    ...(process.env.LTLAB_HEALTH_FILE === undefined ? {} : { healthFile: process.env.LTLAB_HEALTH_FILE }),
    ...codeVersion(),
    knownData,
    onLog: (slot, line) => log(`[${slot}] ${line}`),
  });
  return { supervisor, root: artifactStore === null ? root : `${root} (a cache of ${artifactStore.location})` };
}

/** `ltlab worker`: trainers for queued runs; each run's start and end is logged by its trainer. */
export async function workerCommand(input: CommandInput): Promise<number> {
  const values = validateFlags(workerFlagSchema, input);
  const { supervisor, root } = await startWorker(values, (line) => process.stderr.write(`${line}\n`), {
    logRuns: true,
  });
  process.stderr.write(
    `worker: slots ${supervisor.slotNames.join(', ')}; artifacts ${root}; Ctrl-C stops after checkpointing.\n`,
  );
  const fatal = await untilSignalOr(supervisor.fatal);
  if (fatal !== null) {
    // Redis stayed away past --redis-timeout (or refused us): leave the runs to the queue and exit coded.
    process.stderr.write('worker: giving up on Redis; running trainers stop at their last checkpoint...\n');
    await supervisor.abandon();
    throw fatal;
  }
  process.stderr.write('worker: stopping (running trainers keep their last checkpoint and go back to the queue)...\n');
  await supervisor.close();
  return EXIT.ok;
}

export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** Resolves null on SIGINT/SIGTERM, or with the error `fatal` resolves with first. */
export function untilSignalOr<E>(fatal: Promise<E>): Promise<E | null> {
  return Promise.race([untilSignal().then(() => null), fatal]);
}

/**
 * The commit of the running code: from git in a checkout, else LTLAB_GIT_COMMIT (container images
 * carry no .git; their build sets it).
 */
function codeVersion(): { gitCommit?: string; gitDirty?: boolean } {
  const fromGit = gitInfo();
  if (fromGit.gitCommit !== undefined) return fromGit;
  const commit = process.env.LTLAB_GIT_COMMIT?.trim();
  return commit === undefined || commit === '' ? {} : { gitCommit: commit };
}

/** The recipes of the checkout or image this CLI runs from (LTLAB_RECIPES_DIR overrides). */
function recipesDir(env: NodeJS.ProcessEnv = process.env): string {
  const set = env.LTLAB_RECIPES_DIR;
  return set !== undefined && set !== '' ? set : fileURLToPath(new URL('../../../../configs/', import.meta.url));
}

function gpuCount(): number {
  try {
    return execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter((line) => line.startsWith('GPU ')).length;
  } catch {
    return 0;
  }
}
