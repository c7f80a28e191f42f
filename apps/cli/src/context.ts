import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectRedis, openRunsQueue, type ProducerContext, queueSettingsFromEnv } from '@ltlab/orchestrator';
import { defaultDataDir, openRunStore, type PrismaRunStore } from '@ltlab/store';

/** Where run directories (checkpoints) live: LTLAB_ARTIFACTS, else `<data dir>/artifacts`. */
export function artifactRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.LTLAB_ARTIFACTS ?? join(defaultDataDir(env), 'artifacts');
}

export async function withStore<T>(action: (store: PrismaRunStore) => Promise<T>): Promise<T> {
  const store = await openRunStore();
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}

/** Store + Redis + runs queue, for commands that submit or cancel. */
export async function withProducer<T>(
  action: (ctx: ProducerContext & { store: PrismaRunStore }) => Promise<T>,
): Promise<T> {
  const settings = queueSettingsFromEnv();
  const redis = await connectRedis(settings);
  const runs = openRunsQueue(settings, redis);
  try {
    return await withStore((store) => action({ store, runs, redis, settings }));
  } finally {
    await runs.close();
    redis.disconnect();
  }
}

/**
 * The command that starts a trainer child: this CLI's bin again (built or from source). With
 * `logRuns` the child also writes a line when its run starts and ends (`ltlab worker` shows them;
 * `ltlab up` logs the same from the recorder, with labels).
 */
export function trainerCommand(options: { logRuns?: boolean } = {}): { command: string; args: string[] } {
  const child = cliChildCommand('train-child');
  return options.logRuns === true ? { ...child, args: [...child.args, '--log-runs'] } : child;
}

/** This CLI's bin again (built or from source) with an internal command that loads TF.js. */
export function cliChildCommand(name: 'train-child' | 'doctor-child'): { command: string; args: string[] } {
  const bin = fileURLToPath(new URL('../bin/ltlab.mjs', import.meta.url));
  return { command: process.execPath, args: [bin, name] };
}

/** The commit and dirty flag of the code that runs, when it runs from a git checkout. */
export function gitInfo(): { gitCommit?: string; gitDirty?: boolean } {
  const cwd = fileURLToPath(new URL('.', import.meta.url));
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { gitCommit: commit, gitDirty: dirty.trim() !== '' };
  } catch {
    return {};
  }
}
