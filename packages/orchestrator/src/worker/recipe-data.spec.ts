import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { recipeDataSections } from './recipe-data.js';

const dir = mkdtempSync(join(tmpdir(), 'ltlab-recipe-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recipeDataSections', () => {
  it("reads each recipe's data with extends resolved, skipping sweeps and files that are not recipes", async () => {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'sweeps'));
    writeFileSync(join(dir, 'a', 'base.yaml'), 'data: { source: cifar100, root: /data/datasets/c100 }\n');
    writeFileSync(join(dir, 'a', 'child.yaml'), 'extends: base.yaml\nseed: 1\n');
    writeFileSync(join(dir, 'a', 'views.yaml'), 'train: [{ name: flip }]\n');
    writeFileSync(join(dir, 'a', 'broken.yaml'), 'data: [unclosed\n');
    writeFileSync(join(dir, 'sweeps', 's.yaml'), 'base: { data: { source: mnist, root: /x } }\n');
    writeFileSync(join(dir, 'seg.yml'), 'data: { source: { name: ade20k, root: /data/datasets/ade } }\n');
    const sections = await recipeDataSections(dir);
    expect(sections).toHaveLength(3);
    expect(sections).toEqual(
      expect.arrayContaining([
        { source: 'cifar100', root: '/data/datasets/c100' },
        { source: { name: 'ade20k', root: '/data/datasets/ade' } },
      ]),
    );
    expect(await recipeDataSections(join(dir, 'absent'))).toEqual([]);
  });

  it("finds the repository's recipes, the Fashion-MNIST ones among them", async () => {
    const configs = fileURLToPath(new URL('../../../../configs/', import.meta.url));
    const sources = (await recipeDataSections(configs)).map((data) =>
      typeof data.source === 'string' ? data.source : data.source.name,
    );
    expect(sources).toContain('fashion-mnist');
    expect(sources).toContain('list');
    expect(sources).toContain('ade20k');
  });
});
