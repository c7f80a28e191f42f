import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LtlabError } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { LocalArtifactStore } from '../artifacts/local-artifact-store.js';
import { CheckpointSync, newestLocalEpoch } from './checkpoint-sync.js';

const RUN = 'sw-x-00000000-0123456789ab';

/** The store, with the fetches `fail` names failing as a remote store's can (corrupt, unreachable). */
function failingGets(store: LocalArtifactStore, fail: (relPath: string) => LtlabError | null): ArtifactStore {
  return {
    location: store.location,
    put: (runId, relPath, file) => store.put(runId, relPath, file),
    get: (runId, relPath, dest, sha) => {
      const error = fail(relPath);
      return error === null ? store.get(runId, relPath, dest, sha) : Promise.reject(error);
    },
    list: (runId) => store.list(runId),
    delete: (runId, relPath) => store.delete(runId, relPath),
  };
}

function fixture(wrap: (store: LocalArtifactStore) => ArtifactStore = (store) => store) {
  const dir = mkdtempSync(join(tmpdir(), 'ltlab-sync-'));
  const store = new LocalArtifactStore(join(dir, 'store'));
  const root = join(dir, 'host-b');
  const logs: string[] = [];
  const sync = new CheckpointSync({ store: wrap(store), artifactRoot: root, node: 'host-b', log: (l) => logs.push(l) });
  const seed = async (relPath: string, text: string) => {
    const file = join(dir, 'seed');
    writeFileSync(file, text);
    await store.put(RUN, relPath, file);
  };
  const local = (relPath: string, text: string) => {
    const path = join(root, RUN, relPath);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  };
  return { dir, store, root, sync, logs, seed, local };
}

describe('CheckpointSync.restore', () => {
  it('fetches the newest epoch checkpoint (and best.ckpt) the local directory lacks', async () => {
    const { sync, seed, local, root } = fixture();
    await seed('checkpoints/epoch-00001.ckpt', 'one');
    await seed('checkpoints/epoch-00002.ckpt', 'two');
    await seed('checkpoints/best.ckpt', 'best');
    local('checkpoints/epoch-00001.ckpt', 'one');
    expect(await sync.restore(RUN)).toEqual({ fetched: 'checkpoints/epoch-00002.ckpt', skipped: [] });
    expect(readFileSync(join(root, RUN, 'checkpoints', 'epoch-00002.ckpt'), 'utf8')).toBe('two');
    expect(readFileSync(join(root, RUN, 'checkpoints', 'best.ckpt'), 'utf8')).toBe('best');
    expect(newestLocalEpoch(join(root, RUN))).toBe(2);
  });

  it('fetches nothing when the local copy is as new, or the store has none', async () => {
    const { sync, seed, local } = fixture();
    expect(await sync.restore(RUN)).toEqual({ fetched: null, skipped: [] });
    await seed('checkpoints/epoch-00002.ckpt', 'two');
    local('checkpoints/epoch-00003.ckpt', 'three');
    expect(await sync.restore(RUN)).toEqual({ fetched: null, skipped: [] });
  });

  it('falls back to an older stored checkpoint when the newest cannot be fetched', async () => {
    const { sync, seed, logs } = fixture((store) =>
      failingGets(store, (relPath) =>
        relPath.endsWith('00002.ckpt') ? new LtlabError('CHECKPOINT.CORRUPT', 'sha256 mismatch') : null,
      ),
    );
    await seed('checkpoints/epoch-00001.ckpt', 'one');
    await seed('checkpoints/epoch-00002.ckpt', 'two');
    expect(await sync.restore(RUN)).toEqual({
      fetched: 'checkpoints/epoch-00001.ckpt',
      skipped: [{ path: 'checkpoints/epoch-00002.ckpt', reason: 'sha256 mismatch' }],
    });
    expect(logs.some((line) => line.includes('could not fetch checkpoints/epoch-00002.ckpt'))).toBe(true);
  });

  it('fails the attempt, coded and retryable, when the store lists checkpoints but none can be fetched', async () => {
    const { sync, seed } = fixture((store) =>
      failingGets(store, () => new LtlabError('CHECKPOINT.UNAVAILABLE', 'connection refused')),
    );
    await seed('checkpoints/epoch-00001.ckpt', 'one');
    await expect(sync.restore(RUN)).rejects.toMatchObject({
      code: 'CHECKPOINT.UNAVAILABLE',
      retryable: true,
      message: expect.stringMatching(new RegExp(`Run ${RUN} on host host-b: .*epoch-00001\\.ckpt: connection refused`)),
      details: { runId: RUN, node: 'host-b' },
      fix: expect.stringContaining('host-b'),
    });
  });
});

describe('CheckpointSync uploads', () => {
  it('uploads checkpoint files in order, deletes pruned ones, and reports failures at settle', async () => {
    const { sync, store, local, logs } = fixture();
    local('checkpoints/epoch-00001.ckpt', 'one');
    local('checkpoints/epoch-00002.ckpt', 'two');
    sync.upload(RUN, `${RUN}/checkpoints/epoch-00001.ckpt`);
    sync.upload(RUN, `${RUN}/checkpoints/epoch-00002.ckpt`);
    sync.prune(RUN, [`${RUN}/checkpoints/epoch-00001.ckpt`]);
    sync.upload(RUN, `${RUN}/checkpoints/missing.ckpt`);
    const failed = await sync.settle(RUN);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^upload checkpoints\/missing\.ckpt: .*ENOENT/);
    expect((await store.list(RUN)).map((entry) => entry.path)).toEqual(['checkpoints/epoch-00002.ckpt']);
    expect(logs.filter((line) => line.startsWith(`run ${RUN}: uploaded`))).toHaveLength(2);
    expect(await sync.settle(RUN)).toEqual([]);
  });

  it('uploads nothing outside the run directory', async () => {
    const { sync, logs } = fixture();
    sync.upload(RUN, 'other-run/checkpoints/epoch-00001.ckpt');
    expect(await sync.settle(RUN)).toEqual([]);
    expect(logs).toEqual([
      `run ${RUN}: not uploading other-run/checkpoints/epoch-00001.ckpt: it is not in the run's directory`,
    ]);
  });
});

describe('CheckpointSync.ensureStored', () => {
  it('uploads the local epoch checkpoints and a best.ckpt the store lacks or holds another version of', async () => {
    const { sync, seed, local, store } = fixture();
    await seed('checkpoints/epoch-00001.ckpt', 'one');
    await seed('checkpoints/best.ckpt', 'best of epoch 1');
    local('checkpoints/epoch-00001.ckpt', 'one');
    local('checkpoints/epoch-00003.ckpt', 'three');
    local('checkpoints/best.ckpt', 'best of epoch 3');
    expect(await sync.ensureStored(RUN)).toEqual(['checkpoints/epoch-00003.ckpt', 'checkpoints/best.ckpt']);
    expect(readFileSync(store.pathOf(RUN, 'checkpoints/best.ckpt'), 'utf8')).toBe('best of epoch 3');
    // Now stored byte for byte: nothing is sent again.
    expect(await sync.ensureStored(RUN)).toEqual([]);
  });

  it('throws a retryable CHECKPOINT.UNAVAILABLE naming the run, host and file when an upload fails', async () => {
    const { sync, local } = fixture((store) => ({
      ...failingGets(store, () => null),
      location: store.location,
      put: () => Promise.reject(new LtlabError('CHECKPOINT.UNAVAILABLE', 'ECONNREFUSED')),
    }));
    local('checkpoints/epoch-00002.ckpt', 'two');
    await expect(sync.ensureStored(RUN)).rejects.toMatchObject({
      code: 'CHECKPOINT.UNAVAILABLE',
      retryable: true,
      message: expect.stringMatching(
        new RegExp(
          `^Run ${RUN} on host host-b: not stored: checkpoints/epoch-00002\\.ckpt: ECONNREFUSED; its checkpoints are kept on this host`,
        ),
      ),
    });
  });

  it('has nothing to do for a run without local checkpoints', async () => {
    const { sync } = fixture();
    expect(await sync.ensureStored(RUN)).toEqual([]);
  });
});
