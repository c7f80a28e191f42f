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

  it('pins the run ids of the classification recipes, component options filled (issue #19)', async () => {
    // Since component options are parsed and filled at the edge (docs/architecture.md §5.1) these
    // differ from the ids before; a change here changes the id of every run of these recipes.
    const fingerprints: Record<string, string> = {
      'fashion-mnist-lt/small/ce.yaml': 'd26192be90f32e5fdb20321df21a13d7780636022f3d17cec9d9e58c25fdc654',
      'fashion-mnist-lt/full/paco.yaml': '3c4ae21e29d1e33e8ef63754a6145ffcc200410a4bddb093be15ce10f24cef78',
      // Issue #23 moved these recipes' data under /data/datasets, where docker-compose mounts the
      // data sets (docs/deploy.md): their ids changed then, the Fashion-MNIST ones did not.
      'cifar100-lt/paco-r32.yaml': 'e197fba9f6b428bf6c4c3de431ce188a709775d88b7ce41425cd158edc20144f',
      'imagenet-lt/reslt-x50.yaml': '2f7ef449076b9eb8d942bada39641855611d806f68521965055323b10db80647',
    };
    for (const [file, fingerprint] of Object.entries(fingerprints)) {
      expect(runConfigHash(parseRunConfig(await loadConfigFile(join(configsDir, file)))), file).toBe(fingerprint);
    }
  });

  it('parses every recipe idempotently: the parsed config parses to itself', async () => {
    for (const file of files) {
      const parsed = parseRunConfig(await loadConfigFile(file));
      expect(parseRunConfig(parsed), relative(configsDir, file)).toEqual(parsed);
      expect(runConfigHash(parseRunConfig(parsed)), relative(configsDir, file)).toBe(runConfigHash(parsed));
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
