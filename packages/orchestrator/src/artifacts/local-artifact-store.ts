import { createReadStream, type ReadStream } from 'node:fs';
import { type FileHandle, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LtlabError } from '@ltlab/core';
import { checkArtifactPath, checkRunId } from './artifact-path.js';
import type { ArtifactEntry, ArtifactStore, StoredArtifact } from './artifact-store.js';
import { type AtomicWriteOptions, syncDirectory, tempNameFor, writeStreamAtomically } from './atomic-file.js';
import { fileDigest } from './file-digest.js';

/** How deep `list` looks inside a run directory (checkpoints/ is one level down). */
const MAX_DEPTH = 4;

/** An open file of the store: its hash (checked against the open file, not the name) and its bytes. */
export interface OpenedArtifact {
  entry: ArtifactEntry;
  stream: ReadStream;
}

/**
 * Artifacts in a directory: `<root>/<run id>/<path>`, today's layout, on a local disk or one every
 * host mounts (NFS, CephFS). Each file's sha256 is kept beside it in a hidden sidecar
 * (`.<name>.sha256`: hash, size and mtime); a sidecar that does not match its file (a file the
 * trainer wrote directly, or a crash between the two renames) is recomputed from the file.
 * The control host's artifact service (`ltlab serve`) stores through one of these.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  get location(): string {
    return this.root;
  }

  /** The absolute path of a run's file, after checking both parts (no escape from the run directory). */
  pathOf(runId: string, relPath: string): string {
    return join(this.root, runId, ...checkArtifactPath(runId, relPath));
  }

  async put(runId: string, relPath: string, file: string): Promise<StoredArtifact> {
    return await this.putStream(runId, relPath, createReadStream(file));
  }

  /** Stores a stream (the artifact service's request body): hashed, checked, published atomically. */
  async putStream(
    runId: string,
    relPath: string,
    source: NodeJS.ReadableStream,
    options: AtomicWriteOptions = {},
  ): Promise<StoredArtifact> {
    const target = this.pathOf(runId, relPath);
    const stored = await writeStreamAtomically(source, target, options);
    await this.#writeSidecar(target, stored.sha256);
    return stored;
  }

  async get(runId: string, relPath: string, destFile: string, expectedSha256?: string): Promise<StoredArtifact> {
    const opened = await this.open(runId, relPath);
    if (opened === null) {
      throw new LtlabError('CHECKPOINT.UNAVAILABLE', `${runId}/${relPath} is not in ${this.root}.`, {
        fix: 'List the run first (it may have been pruned by checkpoint.keepLast meanwhile).',
        retryable: false,
        details: { runId, path: relPath },
      });
    }
    const expected = expectedSha256 ?? opened.entry.sha256;
    return await writeStreamAtomically(opened.stream, resolve(destFile), { expectedSha256: expected });
  }

  /**
   * Opens a file for reading with its hash; null when it is not there. The hash belongs to the
   * open file (checked by size and mtime of the handle), so a newer version renamed in meanwhile
   * does not pair the new hash with the old bytes.
   */
  async open(runId: string, relPath: string): Promise<OpenedArtifact | null> {
    const path = this.pathOf(runId, relPath);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) {
        await handle.close();
        return null;
      }
      const sha256 = (await this.#sidecarHash(path, info.size, info.mtimeMs)) ?? (await fileDigest(handle)).sha256;
      const stream = handle.createReadStream({ start: 0, autoClose: true });
      return { entry: { path: relPath, sizeBytes: info.size, sha256 }, stream };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async list(runId: string): Promise<ArtifactEntry[]> {
    checkRunId(runId);
    const entries: ArtifactEntry[] = [];
    await this.#walk(runId, [], entries);
    return entries.sort((a, b) => a.path.localeCompare(b.path));
  }

  async delete(runId: string, relPath: string): Promise<boolean> {
    const path = this.pathOf(runId, relPath);
    try {
      await rm(path);
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    await rm(sidecarOf(path), { force: true });
    return true;
  }

  async #walk(runId: string, prefix: string[], into: ArtifactEntry[]): Promise<void> {
    const dir = join(this.root, runId, ...prefix);
    let names: import('node:fs').Dirent[];
    try {
      names = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const dirent of names) {
      // Hidden names are temporary files and sidecars; rejected checkpoints keep their own name.
      if (dirent.name.startsWith('.')) continue;
      const parts = [...prefix, dirent.name];
      if (dirent.isDirectory() && parts.length < MAX_DEPTH) await this.#walk(runId, parts, into);
      else if (dirent.isFile()) {
        const opened = await this.open(runId, parts.join('/')).catch(() => null);
        if (opened === null) continue;
        opened.stream.destroy();
        into.push(opened.entry);
      }
    }
  }

  async #sidecarHash(path: string, size: number, mtimeMs: number): Promise<string | null> {
    try {
      const [sha256, sizeText, mtimeText] = (await readFile(sidecarOf(path), 'utf8')).trim().split(' ');
      if (sha256 !== undefined && Number(sizeText) === size && Number(mtimeText) === mtimeMs) return sha256;
    } catch {
      // No sidecar: a file written directly into the directory (by a trainer); hashed from the file.
    }
    return null;
  }

  /** Written after the file's rename, with the file's size and mtime, so a stale sidecar is detected. */
  async #writeSidecar(path: string, sha256: string): Promise<void> {
    const handle = await open(path, 'r');
    let line: string;
    try {
      const info = await handle.stat();
      line = `${sha256} ${info.size} ${info.mtimeMs}\n`;
    } finally {
      await handle.close();
    }
    const sidecar = sidecarOf(path);
    const temp = tempNameFor(sidecar);
    await writeFile(temp, line);
    await rename(temp, sidecar);
    await syncDirectory(dirname(path));
  }
}

function sidecarOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.sha256`);
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
