import { z } from 'zod';

/** One file of a run in an artifact store; `path` is relative to the run's directory. */
export const artifactEntrySchema = z.strictObject({
  path: z.string().min(1),
  sizeBytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ArtifactEntry = z.infer<typeof artifactEntrySchema>;

export const artifactListSchema = z.strictObject({ runId: z.string(), files: z.array(artifactEntrySchema) });

/** What a put stored: the sha256 of the bytes as they were read, and how many there were. */
export interface StoredArtifact {
  sha256: string;
  sizeBytes: number;
}

/**
 * Where checkpoints live beyond the worker that wrote them (docs/deploy.md "Artifacts across
 * hosts"). Every transfer is streamed (a ResNet-50 checkpoint with optimizer state is hundreds of
 * MB), hashed with sha256 on the way, and published atomically: a reader sees the old file or the
 * new one, never a torn one. Paths are relative to the run's directory (`checkpoints/epoch-00004.ckpt`).
 */
export interface ArtifactStore {
  /** Where it stores, for log lines (`http://10.0.0.10:7420/`, `/mnt/shared/artifacts`). */
  readonly location: string;
  /** Stores the local `file` as `relPath` of the run; resolves with its sha256 once published. */
  put(runId: string, relPath: string, file: string): Promise<StoredArtifact>;
  /**
   * Fetches `relPath` of the run into `destFile` (through a temporary file beside it, renamed
   * into place once its sha256 matches the store's, and `expectedSha256` when given).
   */
  get(runId: string, relPath: string, destFile: string, expectedSha256?: string): Promise<StoredArtifact>;
  /** Every file of the run, with sizes and hashes; empty when the run has none. */
  list(runId: string): Promise<ArtifactEntry[]>;
  /** Removes one file; resolves false when it was not there. */
  delete(runId: string, relPath: string): Promise<boolean>;
}
