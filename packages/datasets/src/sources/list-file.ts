import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LtlabError, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import { FileSource } from './file-source.js';

export const decodeOptionsSchema = z.strictObject({
  channels: z.union([z.literal(1), z.literal(3)]).default(3),
  shorterSide: z.number().int().positive().optional(),
  size: z.strictObject({ height: z.number().int().positive(), width: z.number().int().positive() }).optional(),
});

export const listFileOptionsSchema = z.strictObject({
  /** The list: one `<relative path> <integer label>` per line. */
  listFile: z.string().min(1),
  /** Directory the relative paths are joined to. */
  root: z.string().min(1),
  /** Number of classes; defaults to the largest label + 1 (pass it when the split misses classes). */
  numClasses: z.number().int().positive().optional(),
  classNames: z.array(z.string()).optional(),
  decode: decodeOptionsSchema.default({ channels: 3 }),
});

export type ListFileOptions = z.input<typeof listFileOptionsSchema>;

/**
 * A list-file source as used by ImageNet-LT, Places-LT and iNaturalist 2018
 * (`train/n01440764/n01440764_10026.JPEG 0`). Paths may contain spaces: the label is the last
 * whitespace-separated field of the line.
 */
export function listFileSource(options: ListFileOptions): FileSource {
  const o = parseOrThrow(listFileOptionsSchema, options, 'list-file source options');
  if (!existsSync(o.listFile)) {
    throw new LtlabError('DATA.MISSING', `List file ${o.listFile} does not exist.`, {
      fix: 'Download the split files of the dataset (e.g. ImageNet_LT_train.txt) and pass their path as listFile.',
    });
  }
  const paths: string[] = [];
  const labels: number[] = [];
  const lines = readFileSync(o.listFile, 'utf8').split(/\r?\n/);
  lines.forEach((raw, lineIndex) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(.*\S)\s+(-?\d+)$/.exec(line);
    const label = match === null ? Number.NaN : Number(match[2]);
    if (match === null || !Number.isSafeInteger(label) || label < 0) {
      throw new LtlabError(
        'DATA.CORRUPT',
        `List file ${o.listFile} line ${lineIndex + 1} is not '<path> <label>': '${line}'.`,
        {
          fix: 'Each line must be a relative image path, whitespace, and a non-negative integer label.',
          details: { listFile: o.listFile, line: lineIndex + 1 },
        },
      );
    }
    paths.push(resolve(o.root, match[1] as string));
    labels.push(label);
  });
  if (paths.length === 0) throw new LtlabError('DATA.CORRUPT', `List file ${o.listFile} has no entries.`);
  const numClasses = o.numClasses ?? Math.max(...labels) + 1;
  return new FileSource(paths, Int32Array.from(labels), {
    numClasses,
    classNames: o.classNames,
    decode: o.decode,
    what: `list file ${o.listFile}`,
  });
}
