import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { LtlabError } from '@ltlab/core';
import { z } from 'zod';
import { IGNORE_INDEX, type LabelMap } from './label-map.js';
import type { SegmentationSource } from './sources/segmentation-source.js';

export interface ImageClassCountsOptions {
  /**
   * The cache file; defaults to the source's `statsCacheFile` (next to the data). `null` turns the
   * cache off. A cache that cannot be written (read-only data) is skipped, not an error.
   */
  cacheFile?: string | null;
  /** Label maps decoded at once (sharp decodes on libuv's thread pool). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ImageClassCounts {
  /** N_img(c): the number of images whose label map contains class c (the ignore index not counted). */
  counts: Int32Array;
  images: number;
  /** The fingerprint of the labelled file list the counts belong to (null for in-memory sources). */
  fingerprint: string | null;
  /** `hit`: read from the cache; `written`: computed and cached; `off`: computed, not cached. */
  cache: 'hit' | 'written' | 'off';
  cacheFile: string | null;
}

/** The classes present in one label map, as 0/1 flags (the ignore index skipped). */
export function classesPresent(label: LabelMap, numClasses: number): Uint8Array {
  const present = new Uint8Array(numClasses);
  for (const v of label.data) if (v !== IGNORE_INDEX && v < numClasses) present[v] = 1;
  return present;
}

const cacheEntrySchema = z.object({
  description: z.string(),
  numClasses: z.number().int().positive(),
  images: z.number().int().min(0),
  counts: z.array(z.number().int().min(0)),
  computedAt: z.string(),
});

const cacheFileSchema = z.object({
  format: z.literal('ltlab.image-class-counts'),
  version: z.literal(1),
  entries: z.record(z.string(), cacheEntrySchema),
});

type CacheFile = z.infer<typeof cacheFileSchema>;

/** Entries kept per cache file (a full split and a few subsets of it); the oldest go first. */
const MAX_ENTRIES = 8;

/**
 * Image-level class statistics, the prior of Region Rebalance (arXiv 2204.01969; docs/methods.md
 * §10 step 4: pi_c = N_img(c) / sum N_img): for each class, the number of images of the source
 * whose label map contains it, after the label mapping (ADE20K's reduce-zero-label) and ignoring
 * 255, as the original's statistics scripts count. File sources cache the result in a JSON file
 * keyed by a fingerprint of the label files (relative path, size, modification time) and the
 * label mapping, so a changed file list is counted again.
 */
export async function imageClassCounts(
  source: SegmentationSource,
  options: ImageClassCountsOptions = {},
): Promise<ImageClassCounts> {
  const { numClasses, size } = source;
  const ref = source.ref;
  if (ref.kind === 'segmentation-pixels') {
    return { ...(await countLabels(source, options)), fingerprint: null, cache: 'off', cacheFile: null };
  }
  const cacheFile = options.cacheFile === undefined ? (source.statsCacheFile ?? null) : options.cacheFile;
  const fingerprint = labelFingerprint(ref.labelPaths, ref.labelLut, numClasses, cacheFile);
  const cached = cacheFile === null ? undefined : readCache(cacheFile);
  const hit = cached?.entries[fingerprint];
  if (cacheFile !== null && hit !== undefined && hit.numClasses === numClasses && hit.counts.length === numClasses) {
    return { counts: Int32Array.from(hit.counts), images: hit.images, fingerprint, cache: 'hit', cacheFile };
  }
  const { counts, images } = await countLabels(source, options);
  if (cacheFile === null) return { counts, images, fingerprint, cache: 'off', cacheFile: null };
  const entry = {
    description: source.description,
    numClasses,
    images: size,
    counts: Array.from(counts),
    computedAt: new Date().toISOString(),
  };
  const written = writeCache(cacheFile, cached, fingerprint, entry);
  return { counts, images, fingerprint, cache: written ? 'written' : 'off', cacheFile: written ? cacheFile : null };
}

async function countLabels(
  source: SegmentationSource,
  options: ImageClassCountsOptions,
): Promise<{ counts: Int32Array; images: number }> {
  const counts = new Int32Array(source.numClasses);
  const concurrency = Math.max(1, options.concurrency ?? 8);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < source.size) {
      const index = next++;
      const present = classesPresent(await source.loadLabel(index), source.numClasses);
      for (let c = 0; c < present.length; c++) counts[c] = (counts[c] as number) + (present[c] as number);
      done++;
      options.onProgress?.(done, source.size);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, source.size) }, worker));
  return { counts, images: source.size };
}

/**
 * sha256 over the label mapping and every label file's path, size and mtime. Paths are relative to the
 * cache file, so a dataset folder moved together with its cache keeps the cache valid.
 */
function labelFingerprint(
  labelPaths: readonly string[],
  lut: Int16Array,
  numClasses: number,
  cacheFile: string | null,
): string {
  const hash = createHash('sha256');
  hash.update(`ltlab.image-class-counts/1 classes=${numClasses} lut=${Array.from(lut).join(',')}\n`);
  const base = cacheFile === null ? undefined : dirname(cacheFile);
  for (const path of labelPaths) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch (cause) {
      throw new LtlabError('DATA.MISSING', `Label map ${path} does not exist (any more).`, {
        fix: 'Reopen the source after changing the dataset folder.',
        details: { path },
        cause,
      });
    }
    hash.update(`${base === undefined ? path : relative(base, path)}\t${stat.size}\t${Math.trunc(stat.mtimeMs)}\n`);
  }
  return hash.digest('hex');
}

function readCache(cacheFile: string): CacheFile | undefined {
  try {
    const parsed = cacheFileSchema.safeParse(JSON.parse(readFileSync(cacheFile, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Missing or unreadable: the counts are computed again and the file rewritten.
    return undefined;
  }
}

function writeCache(
  cacheFile: string,
  previous: CacheFile | undefined,
  fingerprint: string,
  entry: z.infer<typeof cacheEntrySchema>,
): boolean {
  const kept = Object.entries(previous?.entries ?? {})
    .filter(([key]) => key !== fingerprint)
    .sort(([, a], [, b]) => a.computedAt.localeCompare(b.computedAt))
    .slice(-(MAX_ENTRIES - 1));
  const file: CacheFile = {
    format: 'ltlab.image-class-counts',
    version: 1,
    entries: Object.fromEntries([...kept, [fingerprint, entry]]),
  };
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`);
    renameSync(temporary, cacheFile);
    return true;
  } catch {
    // Read-only dataset folders are common (shared mounts): counting again next time is the cost.
    return false;
  }
}
