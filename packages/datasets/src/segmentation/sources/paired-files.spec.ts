import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../__fixtures__/files.js';
import { pairFilesByStem } from './paired-files.js';

function touch(path: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
}

const base = { imageSuffix: '_img.png', labelSuffix: '_ids.png', what: 'Test set', layoutHint: 'img/ and lbl/' };

describe('pairFilesByStem', () => {
  it('pairs by relative stem through subfolders, sorted, ignoring other files', () => {
    const root = tempDir('pairs');
    for (const name of ['b/x_img.png', 'a/y_img.png', 'a/z_img.png', 'notes.txt']) touch(join(root, 'img', name));
    for (const name of ['b/x_ids.png', 'a/y_ids.png', 'a/z_ids.png', 'a/y_color.png']) touch(join(root, 'lbl', name));
    const pairs = pairFilesByStem({ ...base, imageDir: join(root, 'img'), labelDir: join(root, 'lbl') });
    expect(pairs.imagePaths).toEqual(['a/y_img.png', 'a/z_img.png', 'b/x_img.png'].map((p) => join(root, 'img', p)));
    expect(pairs.labelPaths).toEqual(['a/y_ids.png', 'a/z_ids.png', 'b/x_ids.png'].map((p) => join(root, 'lbl', p)));
  });

  it('names an image without its label map and where it was expected', () => {
    const root = tempDir('pairs-unlabelled');
    for (const name of ['p_img.png', 'q_img.png', 'r_img.png']) touch(join(root, 'img', name));
    touch(join(root, 'lbl', 'q_ids.png'));
    expect(() => pairFilesByStem({ ...base, imageDir: join(root, 'img'), labelDir: join(root, 'lbl') })).toThrow(
      expect.objectContaining({
        code: 'DATA.MISSING',
        message: `Test set: image ${join(root, 'img', 'p_img.png')} has no label map (expected ${join(root, 'lbl', 'p_ids.png')}), and 1 more images have none.`,
      }),
    );
  });

  it('names a label map without its image', () => {
    const root = tempDir('pairs-orphan');
    touch(join(root, 'img', 'p_img.png'));
    for (const name of ['p_ids.png', 'extra_ids.png']) touch(join(root, 'lbl', name));
    expect(() => pairFilesByStem({ ...base, imageDir: join(root, 'img'), labelDir: join(root, 'lbl') })).toThrow(
      expect.objectContaining({
        code: 'DATA.MISSING',
        message: expect.stringContaining(`label map ${join(root, 'lbl', 'extra_ids.png')} has no image`),
      }),
    );
  });

  it('skips excluded label suffixes and reports missing folders and empty image folders', () => {
    const root = tempDir('pairs-exclude');
    touch(join(root, 'img', 'p_img.png'));
    touch(join(root, 'lbl', 'p_ids.png'));
    touch(join(root, 'lbl', 'p_train_ids.png'));
    const pairs = pairFilesByStem({
      ...base,
      imageDir: join(root, 'img'),
      labelDir: join(root, 'lbl'),
      excludeLabelSuffixes: ['_train_ids.png'],
    });
    expect(pairs.labelPaths).toEqual([join(root, 'lbl', 'p_ids.png')]);
    expect(() => pairFilesByStem({ ...base, imageDir: join(root, 'nope'), labelDir: join(root, 'lbl') })).toThrow(
      expect.objectContaining({ code: 'DATA.MISSING', fix: expect.stringContaining('img/ and lbl/') }),
    );
    mkdirSync(join(root, 'empty'));
    expect(() => pairFilesByStem({ ...base, imageDir: join(root, 'empty'), labelDir: join(root, 'lbl') })).toThrow(
      /no \*_img\.png images/,
    );
  });
});
