import { existsSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { LtlabError } from '@ltlab/core';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { fileDigest } from '../artifacts/file-digest.js';

/** Epoch checkpoints as the trainer names them (docs/architecture.md §7), relative to the run directory. */
const EPOCH_FILE = /^checkpoints\/epoch-(\d{5})\.ckpt$/;
const BEST_FILE = 'checkpoints/best.ckpt';

/** What `restore` did before a trainer starts. */
export interface RestoreResult {
  /** The epoch checkpoint fetched into the run directory; null when the local copy was already newest (or the store had none). */
  fetched: string | null;
  /** Newer checkpoints of the store that could not be fetched, with why, newest first. */
  skipped: { path: string; reason: string }[];
}

export interface CheckpointSyncOptions {
  store: ArtifactStore;
  /** The worker's local artifact root: run directories are `<root>/<run id>` (a cache of the store). */
  artifactRoot: string;
  node: string;
  log: (line: string) => void;
}

/**
 * Keeps a worker's run directories and the artifact store in step, so a run another host picks up
 * resumes where it stopped (docs/deploy.md "Artifacts across hosts"). Before a trainer starts,
 * the newest checkpoint the store has and the local directory lacks is fetched (its sha256
 * verified); after each `checkpoint` event the file is uploaded in the background, one transfer
 * per run at a time and in order, with the store's retries; `settle` waits for a run's transfers,
 * and `ensureStored` checks that the store holds what this host has once the trainer is done.
 */
export class CheckpointSync {
  readonly #options: CheckpointSyncOptions;
  /** Per run: the tail of its chain of transfers, and the failures met on it. */
  readonly #runs = new Map<string, { chain: Promise<void>; failed: string[] }>();

  constructor(options: CheckpointSyncOptions) {
    this.#options = options;
  }

  get location(): string {
    return this.#options.store.location;
  }

  /**
   * Fetches the newest epoch checkpoint of the store into the run directory when the local copy
   * lacks it (and best.ckpt when the local copy has none). When the store lists newer checkpoints
   * than the local ones and none of them can be fetched, the attempt fails with a retryable
   * CHECKPOINT.UNAVAILABLE naming the run and this host: never a silent restart from epoch 1.
   */
  async restore(runId: string): Promise<RestoreResult> {
    const { store } = this.#options;
    const runDir = join(this.#options.artifactRoot, runId);
    const listed = await store.list(runId).catch((error: unknown) => {
      throw this.#unavailable(runId, `listing its checkpoints failed: ${messageOf(error)}`, error);
    });
    const localNewest = newestLocalEpoch(runDir);
    const remote = listed
      .flatMap((entry) => {
        const match = EPOCH_FILE.exec(entry.path);
        return match?.[1] === undefined ? [] : [{ entry, epoch: Number(match[1]) }];
      })
      .filter(({ epoch }) => epoch > localNewest)
      .sort((a, b) => b.epoch - a.epoch);
    const skipped: RestoreResult['skipped'] = [];
    let fetched: string | null = null;
    for (const { entry } of remote) {
      try {
        await store.get(runId, entry.path, join(runDir, ...entry.path.split('/')), entry.sha256);
        fetched = entry.path;
        this.#options.log(
          `run ${runId}: fetched ${entry.path} (${entry.sizeBytes} bytes, sha256 verified) from ${store.location}`,
        );
        break;
      } catch (error) {
        skipped.push({ path: entry.path, reason: messageOf(error) });
        this.#options.log(`run ${runId}: could not fetch ${entry.path} from ${store.location}: ${messageOf(error)}`);
      }
    }
    if (remote.length > 0 && fetched === null) {
      throw this.#unavailable(
        runId,
        `the store lists ${remote.length} checkpoint(s) newer than this host's (${skipped.map((s) => `${s.path}: ${s.reason}`).join('; ')})`,
      );
    }
    const best = listed.find((entry) => entry.path === BEST_FILE);
    if (best !== undefined && !existsSync(join(runDir, 'checkpoints', 'best.ckpt'))) {
      // best.ckpt is kept for evaluation, not for resuming: a failed fetch is logged, not fatal.
      await store
        .get(runId, BEST_FILE, join(runDir, 'checkpoints', 'best.ckpt'), best.sha256)
        .catch((error: unknown) =>
          this.#options.log(`run ${runId}: could not fetch ${BEST_FILE}: ${messageOf(error)}`),
        );
    }
    return { fetched, skipped };
  }

  /** Queues the upload of a file the trainer reported (`path` relative to the artifact root). */
  upload(runId: string, path: string): void {
    const relPath = this.#relPath(runId, path);
    if (relPath === null) return;
    const file = join(this.#options.artifactRoot, runId, ...relPath.split('/'));
    this.#enqueue(runId, `upload ${relPath}`, async () => {
      const stored = await this.#options.store.put(runId, relPath, file);
      this.#options.log(
        `run ${runId}: uploaded ${relPath} (${stored.sizeBytes} bytes) to ${this.#options.store.location}`,
      );
    });
  }

  /** Queues the removal of files `checkpoint.keepLast` pruned, after the uploads before it. */
  prune(runId: string, paths: readonly string[]): void {
    for (const path of paths) {
      const relPath = this.#relPath(runId, path);
      if (relPath !== null) {
        this.#enqueue(runId, `delete ${relPath}`, async () => {
          await this.#options.store.delete(runId, relPath);
        });
      }
    }
  }

  /**
   * Checks that the store holds this host's epoch checkpoints of the run (the `keepLast` newest)
   * and its best.ckpt, byte for byte (sha256), and uploads what it lacks with a fresh round of the
   * store's retries: an upload whose retries ran out while the service was down is tried again
   * here, once the trainer is done. Resolves with the files it uploaded; when one is still missing it throws a
   * retryable CHECKPOINT.UNAVAILABLE naming the run, this host and the store, so the run is
   * requeued (its next attempt here resumes from the local copy and tries again) or ends failed
   * with that code: never reported finished with its checkpoints on this host only.
   */
  async ensureStored(runId: string): Promise<string[]> {
    const { store } = this.#options;
    const runDir = join(this.#options.artifactRoot, runId);
    const local = [
      ...localEpochFiles(runDir),
      ...(existsSync(join(runDir, ...BEST_FILE.split('/'))) ? [BEST_FILE] : []),
    ];
    if (local.length === 0) return [];
    const notStored = (why: string, cause?: unknown) =>
      new LtlabError(
        'CHECKPOINT.UNAVAILABLE',
        `Run ${runId} on host ${this.#options.node}: ${why.replace(/\.$/, '')}; its checkpoints are kept on this host and the upload is tried again by the run's next attempt.`,
        {
          fix: `Check that the artifact store (${store.location}) is reachable from ${this.#options.node} (ltlab serve running on the control host).`,
          details: { runId, node: this.#options.node, store: store.location },
          ...(cause === undefined ? {} : { cause }),
        },
      );
    const listed = await store.list(runId).catch((error: unknown) => {
      throw notStored(`listing the store failed: ${messageOf(error)}`, error);
    });
    const uploaded: string[] = [];
    const failed: string[] = [];
    for (const relPath of local) {
      const file = join(runDir, ...relPath.split('/'));
      try {
        const { sha256 } = await fileDigest(file);
        if (listed.some((entry) => entry.path === relPath && entry.sha256 === sha256)) continue;
        const stored = await store.put(runId, relPath, file);
        uploaded.push(relPath);
        this.#options.log(
          `run ${runId}: uploaded ${relPath} (${stored.sizeBytes} bytes), missing from ${store.location}`,
        );
      } catch (error) {
        failed.push(`${relPath}: ${messageOf(error)}`);
      }
    }
    if (failed.length > 0) throw notStored(`not stored: ${failed.join('; ')}`);
    return uploaded;
  }

  /** Waits for the run's queued transfers; resolves with the ones that failed (each already logged). */
  async settle(runId: string): Promise<string[]> {
    const run = this.#runs.get(runId);
    if (run === undefined) return [];
    await run.chain;
    this.#runs.delete(runId);
    return run.failed;
  }

  #enqueue(runId: string, what: string, transfer: () => Promise<void>): void {
    const run = this.#runs.get(runId) ?? { chain: Promise.resolve(), failed: [] };
    run.chain = run.chain.then(transfer).catch((error: unknown) => {
      const line = `${what}: ${messageOf(error)}`;
      run.failed.push(line);
      this.#options.log(`run ${runId}: ${line}`);
    });
    this.#runs.set(runId, run);
  }

  #relPath(runId: string, path: string): string | null {
    const prefix = `${runId}/`;
    const normal = path.split(sep).join('/');
    if (normal.startsWith(prefix)) return normal.slice(prefix.length);
    this.#options.log(`run ${runId}: not uploading ${path}: it is not in the run's directory`);
    return null;
  }

  #unavailable(runId: string, why: string, cause?: unknown): LtlabError {
    return new LtlabError(
      'CHECKPOINT.UNAVAILABLE',
      `Run ${runId} on host ${this.#options.node}: ${why}; not starting it from an older checkpoint or from epoch 1.`,
      {
        fix: `Check that the artifact store (${this.#options.store.location}) is reachable from ${this.#options.node}; the attempt is retried.`,
        details: { runId, node: this.#options.node, store: this.#options.store.location },
        ...(cause === undefined ? {} : { cause }),
      },
    );
  }
}

/** The epoch checkpoints in a run directory's `checkpoints/`, relative to it, oldest first. */
function localEpochFiles(runDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(join(runDir, 'checkpoints'));
  } catch {
    return [];
  }
  return names
    .map((name) => `checkpoints/${name}`)
    .filter((path) => EPOCH_FILE.test(path))
    .sort();
}

/** The newest epoch checkpoint in a run directory's `checkpoints/` (0 when there is none). */
export function newestLocalEpoch(runDir: string): number {
  let newest = 0;
  for (const path of localEpochFiles(runDir)) {
    const match = EPOCH_FILE.exec(path);
    if (match?.[1] !== undefined) newest = Math.max(newest, Number(match[1]));
  }
  return newest;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
