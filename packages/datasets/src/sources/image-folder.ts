import { existsSync, readdirSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { LtlabError, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import { FileSource } from './file-source.js';
import { decodeOptionsSchema } from './list-file.js';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.gif', '.bmp']);

export const imageFolderOptionsSchema = z.strictObject({
  root: z.string().min(1),
  decode: decodeOptionsSchema.default({ channels: 3 }),
});

/**
 * One folder per class (torchvision's ImageFolder): class ids follow the sorted folder names,
 * samples the sorted file names within each folder. Files of other extensions are ignored.
 */
export function imageFolderSource(options: z.input<typeof imageFolderOptionsSchema>): FileSource {
  const o = parseOrThrow(imageFolderOptionsSchema, options, 'image-folder source options');
  const root = resolve(o.root);
  if (!existsSync(root)) throw new LtlabError('DATA.MISSING', `Image folder ${root} does not exist.`);
  const classNames = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  if (classNames.length === 0) {
    throw new LtlabError('DATA.MISSING', `Image folder ${root} has no class subfolders.`, {
      fix: 'Arrange the images as <root>/<class name>/<image file>.',
    });
  }
  const paths: string[] = [];
  const labels: number[] = [];
  classNames.forEach((name, label) => {
    const files = readdirSync(join(root, name), { withFileTypes: true })
      .filter((entry) => entry.isFile() && IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase()))
      .map((entry) => entry.name)
      .sort();
    for (const file of files) {
      paths.push(join(root, name, file));
      labels.push(label);
    }
  });
  return new FileSource(paths, Int32Array.from(labels), {
    numClasses: classNames.length,
    classNames,
    decode: o.decode,
    what: `image folder ${root}`,
  });
}
