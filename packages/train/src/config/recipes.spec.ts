import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from './load-config-file.js';
import { parseRunConfig, runConfigHash } from './run-config.js';

const configsDir = fileURLToPath(new URL('../../../../configs', import.meta.url));

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
    const small = parseRunConfig(await loadConfigFile(join(configsDir, 'fashion-mnist-lt/small/ce.yaml')));
    const full = parseRunConfig(await loadConfigFile(join(configsDir, 'fashion-mnist-lt/full/ce.yaml')));
    expect(small.data.longTail).toEqual({ profile: 'exp', imbalanceFactor: 100, imgMax: 1000, seed: 0 });
    expect(full.data.longTail?.imgMax).toBe(6000);
    expect([small.epochs, small.batchSize, small.optimizer.lr, small.optimizer.weightDecay]).toEqual([
      30, 128, 0.1, 5e-4,
    ]);
    expect(small.schedule).toEqual({ type: 'warmup-cosine', warmupEpochs: 2 });
  });
});
