import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classificationConfigOf, parseRunConfig } from '@ltlab/config';
import { dataLocationOf } from '@ltlab/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyConfig } from '../__fixtures__/tiny-run-config.js';
import { buildTrainingData } from './training-data.js';

/**
 * Workers check a run's data where `dataLocationOf` (@ltlab/datasets) says the trainer will look
 * (issue #23): this pins that the trainer looks in that directory (both read the variable name
 * from @ltlab/datasets' localRootVariable).
 */
const dir = mkdtempSync(join(tmpdir(), 'ltlab-data-agreement-'));
afterAll(() => {
  delete process.env.LTLAB_MNIST_DIR;
  rmSync(dir, { recursive: true, force: true });
});

const dataOf = (data: Record<string, unknown>) =>
  classificationConfigOf(parseRunConfig(tinyConfig({ data: data as ReturnType<typeof tinyConfig>['data'] }))).data;

describe("the trainer and the workers' data check", () => {
  it('look in the same directory: the config root first, then the variable', () => {
    const fromConfig = join(dir, 'configured');
    const fromVariable = join(dir, 'variable');
    mkdirSync(fromVariable);
    process.env.LTLAB_MNIST_DIR = fromVariable;
    for (const [data, expected] of [
      [{ source: 'mnist', root: fromConfig }, fromConfig],
      [{ source: 'mnist' }, fromVariable],
    ] as const) {
      expect(dataLocationOf(data, process.env).path).toBe(expected);
      // The trainer fails on the first file it does not find, in the same directory.
      expect(() => buildTrainingData(dataOf(data))).toThrow(
        expect.objectContaining({ code: 'DATA.MISSING', message: expect.stringContaining(expected) }),
      );
    }
  });
});
