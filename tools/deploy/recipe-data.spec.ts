/**
 * Recipes and docker-compose.yml agree on where data sets live (issue #23): every recipe's data,
 * resolved as a worker container resolves it (the config's path, else the `LTLAB_<SOURCE>_DIR`
 * the compose file sets, else the source's default), falls under the worker services' mount of
 * `LTLAB_DATASETS_DIR`. A recipe naming `/data/imagenet` while the compose file mounts the data
 * sets at `/data/datasets` fails here, not on a GPU node an hour into a sweep.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '@ltlab/config';
import { type DataSection, dataLocationOf } from '@ltlab/datasets';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const configsDir = join(root, 'configs');
/** A host directory no one has: the mount whose source it is, is the data-set mount. */
const DATASETS_PROBE = '/srv/ltlab-datasets-probe';

interface Service {
  volumes?: string[];
  environment?: Record<string, string>;
}

function renderCompose(): Record<string, Service> {
  const found = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
  if (found.error !== undefined || found.status !== 0) {
    throw new Error('docker-compose is not installed: `apt-get install docker-compose` (.ci/run does).');
  }
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(REDIS|POSTGRES|LTLAB|COMPOSE)_/.test(key)),
  );
  const result = spawnSync('docker-compose', ['-f', join(root, 'docker-compose.yml'), 'config'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...base, REDIS_PASSWORD: 'x', POSTGRES_PASSWORD: 'y', LTLAB_DATASETS_DIR: DATASETS_PROBE },
  });
  expect(result.stderr).toBe('');
  return (parse(result.stdout) as { services: Record<string, Service> }).services;
}

function recipeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'sweeps' ? [] : recipeFiles(path);
    return entry.name.endsWith('.yaml') ? [path] : [];
  });
}

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir.replace(/\/$/, '')}/`);
}

describe('recipes and docker-compose.yml', () => {
  const services = renderCompose();

  it('mounts the data sets into every worker service', () => {
    for (const name of ['worker', 'worker-cpu']) {
      const mounts = (services[name]?.volumes ?? []).filter((volume) => volume.startsWith(`${DATASETS_PROBE}:`));
      expect(mounts, name).toEqual([`${DATASETS_PROBE}:/data/datasets:ro`]);
    }
  });

  it("finds every recipe's data under the workers' data-set mount", async () => {
    const recipes: Array<{ file: string; data: DataSection }> = [];
    for (const file of recipeFiles(configsDir)) {
      const data = (await loadConfigFile(file)).data as DataSection | undefined;
      if (data?.source !== undefined) recipes.push({ file: relative(configsDir, file), data });
    }
    // Every family of recipes is here: Fashion-MNIST(-LT, -Seg-LT), CIFAR, lists, segmentation.
    expect(recipes.length).toBeGreaterThan(20);
    for (const name of ['worker', 'worker-cpu']) {
      const service = services[name] ?? {};
      const target = (service.volumes ?? []).find((volume) => volume.startsWith(`${DATASETS_PROBE}:`))?.split(':')[1];
      expect(target, name).toBeDefined();
      for (const { file, data } of recipes) {
        const location = dataLocationOf(data, service.environment ?? {});
        expect(location.path, `${name}: ${file}`).not.toBeNull();
        const paths = [location.path ?? '', ...location.needs.flat()];
        for (const path of paths) {
          expect(under(path, target ?? ''), `${name}: ${file} reads ${path} (${location.via})`).toBe(true);
        }
      }
    }
  });
});
