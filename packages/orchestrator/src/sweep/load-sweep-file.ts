import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadConfigFile, readDataFile } from '@ltlab/config';
import { LtlabError, parseOrThrow } from '@ltlab/core';
import { type ExpandedSweep, expandSweep } from './expand-sweep.js';
import { assertSweepConfigPaths } from './sweep-config-paths.js';
import { assertSweepSize } from './sweep-size.js';
import { type SweepSpec, sweepSpecSchema } from './sweep-spec.js';

export interface LoadedSweep {
  spec: SweepSpec;
  base: Record<string, unknown>;
  expanded: ExpandedSweep;
}

export interface LoadSweepOptions {
  /** The most runs allowed (`--max-runs`); default: the file's `maxRuns`, else DEFAULT_MAX_RUNS. */
  maxRuns?: number;
}

/**
 * Parses a sweep file, counts its runs (refusing too many before expanding anything), resolves
 * its base config (with `extends`), checks every config key and path it names against the run
 * config, and expands it. Nothing touches Redis or the store.
 */
export async function loadSweepFile(path: string, options: LoadSweepOptions = {}): Promise<LoadedSweep> {
  await assertRegularFile(path);
  const raw = await readDataFile(path);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `Sweep file ${path} must be a mapping of sweep fields, not ${kindOf(raw)}.`,
      {
        fix: 'Start from configs/sweeps/paco-temperature.yaml: name, base, then grid, variants or random.',
      },
    );
  }
  const spec = parseOrThrow(
    sweepSpecSchema,
    raw,
    `sweep file ${path}`,
    'Correct the fields listed above (docs/architecture.md §5.2 lists the fields of a sweep file).',
  );
  assertSweepSize(spec, options.maxRuns);
  const base = typeof spec.base === 'string' ? await loadConfigFile(resolve(dirname(path), spec.base)) : spec.base;
  assertSweepConfigPaths(spec, base, `sweep file ${path}`);
  return { spec, base, expanded: expandSweep(spec, base, options) };
}

/** A missing path or a directory is a mistake on the command line, not data that may appear later. */
async function assertRegularFile(path: string): Promise<void> {
  let found: Awaited<ReturnType<typeof stat>>;
  try {
    found = await stat(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    // Anything else (a permission, say) is reported by the read that follows.
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return;
    throw new LtlabError('CONFIG.INVALID', `Sweep file ${path} does not exist.`, {
      fix: 'Check the path; sweep files usually live under configs/sweeps/.',
      cause,
    });
  }
  if (!found.isFile()) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `Sweep file ${path} is ${found.isDirectory() ? 'a directory' : 'not a regular file'}.`,
      { fix: 'Name the sweep file itself, e.g. configs/sweeps/paco-temperature.yaml.' },
    );
  }
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}
