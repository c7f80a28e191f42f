import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LtlabError } from '@ltlab/core';

export interface PairedFilesOptions {
  /** Folder of the images (searched recursively: Cityscapes has one subfolder per city). */
  imageDir: string;
  labelDir: string;
  /** Image files end with this (".jpg", "_leftImg8bit.png"); the rest of the path is the stem. */
  imageSuffix: string;
  /** Label files end with this (".png", "_gtFine_labelTrainIds.png"); other files are ignored. */
  labelSuffix: string;
  /** Label files that end with labelSuffix but are not label maps of this kind (COCO-Stuff raw vs train ids). */
  excludeLabelSuffixes?: readonly string[];
  /** The dataset and split, for messages ("ADE20K training"). */
  what: string;
  /** How the layout looks, for the fix of a missing folder. */
  layoutHint: string;
}

export interface PairedFiles {
  imagePaths: string[];
  labelPaths: string[];
}

/** Files under `dir` (recursively) whose name ends with `suffix`, keyed by relative stem. */
function filesByStem(dir: string, suffix: string, exclude: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(suffix) && !exclude.some((s) => entry.name.endsWith(s))) {
        const rel = relative(dir, path);
        out.set(rel.slice(0, rel.length - suffix.length), path);
      }
    }
  };
  walk(dir);
  return out;
}

function requireDir(dir: string, what: string, layoutHint: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new LtlabError('DATA.MISSING', `${what}: folder ${dir} does not exist.`, {
      fix: `Point root at the dataset folder laid out as ${layoutHint}.`,
      details: { dir },
    });
  }
}

/**
 * Pairs every image with the label map of the same relative stem (`images/training/x.jpg` with
 * `annotations/training/x.png`), sorted by stem. An image without its label map, or a label map
 * without its image, is DATA.MISSING naming the file and the path it was expected at: training on
 * a silently shrunk dataset is worse than stopping.
 */
export function pairFilesByStem(options: PairedFilesOptions): PairedFiles {
  const { imageDir, labelDir, imageSuffix, labelSuffix, what, layoutHint } = options;
  requireDir(imageDir, what, layoutHint);
  requireDir(labelDir, what, layoutHint);
  const images = filesByStem(imageDir, imageSuffix, []);
  const labels = filesByStem(labelDir, labelSuffix, options.excludeLabelSuffixes ?? []);
  if (images.size === 0) {
    throw new LtlabError('DATA.MISSING', `${what}: no *${imageSuffix} images under ${imageDir}.`, {
      fix: `Point root at the dataset folder laid out as ${layoutHint}.`,
      details: { imageDir },
    });
  }
  const stems = [...images.keys()].sort();
  const unlabelled = stems.filter((stem) => !labels.has(stem));
  if (unlabelled.length > 0) {
    const stem = unlabelled[0] as string;
    throw new LtlabError(
      'DATA.MISSING',
      `${what}: image ${images.get(stem)} has no label map (expected ${join(labelDir, stem + labelSuffix)})` +
        (unlabelled.length > 1 ? `, and ${unlabelled.length - 1} more images have none.` : '.'),
      {
        fix: 'Restore the missing label maps, or remove the images that have none.',
        details: { image: images.get(stem), missing: unlabelled.length },
      },
    );
  }
  const orphans = [...labels.keys()].filter((stem) => !images.has(stem)).sort();
  if (orphans.length > 0) {
    const stem = orphans[0] as string;
    throw new LtlabError(
      'DATA.MISSING',
      `${what}: label map ${labels.get(stem)} has no image (expected ${join(imageDir, stem + imageSuffix)})` +
        (orphans.length > 1 ? `, and ${orphans.length - 1} more label maps have none.` : '.'),
      {
        fix: 'Restore the missing images, or remove the label maps that have none.',
        details: { label: labels.get(stem), missing: orphans.length },
      },
    );
  }
  return {
    imagePaths: stems.map((stem) => images.get(stem) as string),
    labelPaths: stems.map((stem) => labels.get(stem) as string),
  };
}
