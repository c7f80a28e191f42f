import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from './load-config-file.js';
import { classificationConfigOf, parseRunConfig, runConfigHash, segmentationConfigOf } from './run-config.js';

const configsDir = fileURLToPath(new URL('../../../configs', import.meta.url));

/** Every run config under configs/ (sweeps and `_partial.yaml` fragments aside). */
function runConfigFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'sweeps' ? [] : runConfigFiles(path);
    return name.endsWith('.yaml') && !name.startsWith('_') ? [path] : [];
  });
}

describe('recipes under configs/', () => {
  const files = runConfigFiles(configsDir);

  it('exist for every paper setting and Fashion-MNIST-LT method', () => {
    const names = files.map((file) => relative(configsDir, file));
    for (const method of ['ce', 'balanced-softmax', 'ldam-drw', 'paco', 'reslt']) {
      expect(names).toContain(`fashion-mnist-lt/small/${method}.yaml`);
      expect(names).toContain(`fashion-mnist-lt/full/${method}.yaml`);
    }
    for (const recipe of [
      'cifar100-lt/paco-r32',
      'cifar100-lt/reslt-r32',
      'imagenet-lt/paco-r50',
      'imagenet-lt/reslt-x50',
      'inat2018/paco-r50',
      'inat2018/reslt-r50',
      'places-lt/paco-r152',
    ]) {
      expect(names).toContain(`${recipe}.yaml`);
    }
  });

  it.each(files.map((file) => [relative(configsDir, file), file]))('%s is a valid run config', async (_name, file) => {
    const config = parseRunConfig(await loadConfigFile(file), file);
    expect(runConfigHash(config)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the Fashion-MNIST-LT profiles of the train issue', async () => {
    const load = async (file: string) =>
      classificationConfigOf(parseRunConfig(await loadConfigFile(join(configsDir, file))));
    const small = await load('fashion-mnist-lt/small/ce.yaml');
    const full = await load('fashion-mnist-lt/full/ce.yaml');
    expect(small.data.longTail).toEqual({ profile: 'exp', imbalanceFactor: 100, imgMax: 1000, seed: 0 });
    expect(full.data.longTail?.imgMax).toBe(6000);
    expect([small.epochs, small.batchSize, small.optimizer.lr, small.optimizer.weightDecay]).toEqual([
      30, 128, 0.1, 5e-4,
    ]);
    expect(small.schedule).toEqual({ type: 'warmup-cosine', warmupEpochs: 2 });
  });

  it('keeps the run ids of the classification recipes: their fingerprints from before tasks existed', async () => {
    const fingerprints: Record<string, string> = {
      'fashion-mnist-lt/small/ce.yaml': '157e2cf9b671709d7af8e5ed8cda7824872039157e186e3289f9a8aebb44d969',
      'fashion-mnist-lt/full/paco.yaml': 'ebabde2ebb389a30e49bc318a3db0f3ac2af2e6900d77929b732718ad57855b4',
      'cifar100-lt/paco-r32.yaml': '85a21b6b3d7f236f7480f164d26d0d6604c85fd9c1c9fcb3a81a2cbcca581683',
      'imagenet-lt/reslt-x50.yaml': '7932696e0026ae0044b53c10458accfaa2b9e1e9e00bdfea4623589afb079968',
    };
    for (const [file, fingerprint] of Object.entries(fingerprints)) {
      expect(runConfigHash(parseRunConfig(await loadConfigFile(join(configsDir, file)))), file).toBe(fingerprint);
    }
  });

  it('pairs every segmentation baseline with a Region Rebalance run of the same budget', async () => {
    const names = files.map((file) => relative(configsDir, file));
    for (const [ce, rr] of [
      ['segmentation/fashion-mnist-seg-lt/ce.yaml', 'segmentation/fashion-mnist-seg-lt/rr.yaml'],
      ['segmentation/ade20k/upernet-r50-ce.yaml', 'segmentation/ade20k/upernet-r50-rr.yaml'],
      ['segmentation/coco-stuff-164k/upernet-r50-ce.yaml', 'segmentation/coco-stuff-164k/upernet-r50-rr.yaml'],
    ] as const) {
      expect(names).toContain(ce);
      expect(names).toContain(rr);
      const load = async (file: string) =>
        segmentationConfigOf(parseRunConfig(await loadConfigFile(join(configsDir, file))));
      const [base, withRr] = await Promise.all([load(ce), load(rr)]);
      expect(base.loss.regionRebalance).toBeUndefined();
      expect(withRr.loss.regionRebalance).toEqual({
        weight: 1,
        smooth: 0.5,
        scale: 1,
        reducedChannels: 128,
        hiddenChannels: 512,
      });
      const { name: _a, loss: _b, ...sameBudget } = withRr;
      const { name: _c, loss: _d, ...baseline } = base;
      expect(sameBudget).toEqual(baseline);
    }
  });
});
