import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LtlabError } from '@ltlab/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DataSourceCatalog } from './data-sources.js';

const dir = mkdtempSync(join(tmpdir(), 'ltlab-data-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const IDX = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

describe('DataSourceCatalog', () => {
  it('reports Fashion-MNIST where a root-less config finds it, set variables and the recipes, checked at start', () => {
    const fmnist = join(dir, 'fmnist');
    const catalog = new DataSourceCatalog({
      node: 'node-a',
      env: { LTLAB_FASHION_MNIST_DIR: fmnist, LTLAB_CIFAR10_DIR: join(dir, 'cifar10') },
      known: [{ source: 'cifar100', root: join(dir, 'cifar-100-binary') }, { source: 'fashion-mnist' }],
    });
    expect(catalog.report()).toEqual([
      {
        source: 'fashion-mnist',
        path: fmnist,
        via: 'LTLAB_FASHION_MNIST_DIR',
        present: false,
        missing: join(fmnist, `${IDX[0]}.gz`),
        origin: 'well-known',
      },
      expect.objectContaining({ source: 'cifar10', path: join(dir, 'cifar10'), origin: 'well-known' }),
      expect.objectContaining({ source: 'cifar100', via: 'data.root', present: false, origin: 'recipe' }),
    ]);
  });

  it('fails a run whose data is missing with DATA.MISSING naming host, source, path and fix', () => {
    const catalog = new DataSourceCatalog({ node: 'node-b', env: {} });
    const root = join(dir, 'no-such-mnist');
    let thrown: unknown;
    try {
      catalog.requireRunData('run-1', { source: 'mnist', root });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LtlabError);
    const error = thrown as LtlabError;
    expect(error.code).toBe('DATA.MISSING');
    expect(error.message).toBe(
      `Data set 'mnist' is not on host node-b: ${root} (from data.root): ${join(root, `${IDX[0]}.gz`)} does not exist.`,
    );
    expect(error.fix).toContain(`Put MNIST's four IDX files`);
    expect(error.fix).toContain('point data.root at where it is');
    expect(catalog.report().at(-1)).toMatchObject({ source: 'mnist', path: root, present: false, origin: 'run run-1' });
  });

  it('checks a run again when it comes (data mounted since the start is found)', () => {
    const root = join(dir, 'mnist-later');
    const catalog = new DataSourceCatalog({ node: 'node-c', env: {}, known: [{ source: 'mnist', root }] });
    expect(catalog.report().at(-1)).toMatchObject({ present: false, origin: 'recipe' });
    mkdirSync(root);
    for (const file of IDX) writeFileSync(join(root, file), '');
    expect(catalog.requireRunData('run-2', { source: 'mnist', root })).toMatchObject({ present: true, missing: null });
    // Still one entry for the place, now present; the report is not re-read per heartbeat.
    expect(catalog.report().filter((entry) => entry.path === root)).toEqual([
      expect.objectContaining({ present: true, origin: 'run run-2' }),
    ]);
  });

  it('says to set the variable when nothing names a directory', () => {
    const catalog = new DataSourceCatalog({ node: 'node-d', env: {} });
    expect(() => catalog.requireRunData('run-3', { source: 'cifar100' })).toThrow(
      expect.objectContaining({
        code: 'DATA.MISSING',
        message: "Data set 'cifar100' is not on host node-d: no directory.",
        fix: expect.stringContaining('set LTLAB_CIFAR100_DIR'),
      }),
    );
  });

  it('keeps the report bounded, dropping the oldest run entries first', () => {
    const catalog = new DataSourceCatalog({ node: 'node-e', env: {} });
    for (let i = 0; i < 60; i++) {
      try {
        catalog.requireRunData(`r${i}`, { source: 'mnist', root: join(dir, `m${i}`) });
      } catch {
        // Missing, as intended: only the report matters here.
      }
    }
    const report = catalog.report();
    expect(report.length).toBe(48);
    expect(report[0]).toMatchObject({ source: 'fashion-mnist', origin: 'well-known' });
    expect(report.at(-1)).toMatchObject({ origin: 'run r59' });
    expect(report.some((entry) => entry.origin === 'run r0')).toBe(false);
  });
});
