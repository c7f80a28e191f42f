import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LtlabError, parseOrThrow } from '@ltlab/core';
import { parse as parseYaml } from 'yaml';
import { type ExpandedSweep, expandSweep } from './expand-sweep.js';
import { type SweepSpec, sweepSpecSchema } from './sweep-spec.js';

export interface LoadedSweep {
  spec: SweepSpec;
  base: Record<string, unknown>;
  expanded: ExpandedSweep;
}

/** Reads a YAML or JSON data file (never code) and names the file in every error. */
export async function readDataFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new LtlabError('DATA.MISSING', `Cannot read ${path}.`, {
      fix: 'Check the path (relative paths are resolved from the sweep file).',
      cause,
    });
  }
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (cause) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `${path} is not valid YAML: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/** Parses a sweep file, resolves its base config and expands it; nothing touches Redis or the store. */
export async function loadSweepFile(path: string): Promise<LoadedSweep> {
  const spec = parseOrThrow(sweepSpecSchema, await readDataFile(path), `sweep file ${path}`);
  let base: Record<string, unknown>;
  if (typeof spec.base === 'string') {
    const basePath = resolve(dirname(path), spec.base);
    const raw = await readDataFile(basePath);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new LtlabError('CONFIG.INVALID', `Base config ${basePath} must be a mapping of run config fields.`);
    }
    base = raw as Record<string, unknown>;
  } else {
    base = spec.base;
  }
  return { spec, base, expanded: expandSweep(spec, base) };
}
