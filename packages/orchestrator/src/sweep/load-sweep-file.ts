import { dirname, resolve } from 'node:path';
import { parseOrThrow } from '@ltlab/core';
import { loadConfigFile, readDataFile } from '@ltlab/train/config';
import { type ExpandedSweep, expandSweep } from './expand-sweep.js';
import { type SweepSpec, sweepSpecSchema } from './sweep-spec.js';

export interface LoadedSweep {
  spec: SweepSpec;
  base: Record<string, unknown>;
  expanded: ExpandedSweep;
}

/** Parses a sweep file, resolves its base config (with `extends`) and expands it; nothing touches Redis or the store. */
export async function loadSweepFile(path: string): Promise<LoadedSweep> {
  const spec = parseOrThrow(sweepSpecSchema, await readDataFile(path), `sweep file ${path}`);
  const base = typeof spec.base === 'string' ? await loadConfigFile(resolve(dirname(path), spec.base)) : spec.base;
  return { spec, base, expanded: expandSweep(spec, base) };
}
