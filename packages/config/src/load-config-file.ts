import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LtlabError } from '@ltlab/core';
import { parse as parseYaml } from 'yaml';

/** Reads a YAML or JSON data file (never code), naming the file in every error. */
export async function readDataFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new LtlabError('DATA.MISSING', `Cannot read ${path}.`, {
      fix: 'Check the path (relative paths are resolved from the file that names them).',
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

/**
 * A config file with its `extends: <path>` chain resolved: the file's mappings are merged
 * deeply over its base (relative to the file), lists and scalars replace. Cycles are errors.
 */
export async function loadConfigFile(path: string, seen: readonly string[] = []): Promise<Record<string, unknown>> {
  const absolute = resolve(path);
  if (seen.includes(absolute)) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `Config files extend each other in a cycle: ${[...seen, absolute].join(' -> ')}.`,
    );
  }
  const raw = await readDataFile(absolute);
  if (!isRecord(raw)) throw new LtlabError('CONFIG.INVALID', `${absolute} must be a mapping of config fields.`);
  const { extends: parent, ...own } = raw;
  if (parent === undefined) return own;
  if (typeof parent !== 'string') throw new LtlabError('CONFIG.INVALID', `${absolute}: extends must be a file path.`);
  return deepMerge(await loadConfigFile(resolve(dirname(absolute), parent), [...seen, absolute]), own);
}

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isRecord(current) && isRecord(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
