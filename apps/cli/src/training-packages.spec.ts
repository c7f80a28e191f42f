import { isLtlabError } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { assertTrainingPackages, importTrainingPackage } from './training-packages.js';

const NOT_INSTALLED = '@ltlab/not-installed-anywhere';

describe('training packages as optional peers', () => {
  it('loads an installed package through its thunk', async () => {
    const core = await importTrainingPackage('@ltlab/core', 'ltlab train', () => import('@ltlab/core'));
    expect(typeof core.LtlabError).toBe('function');
  });

  it('turns a missing package into a coded error with the install command', async () => {
    const error = await importTrainingPackage(NOT_INSTALLED, 'ltlab train', () => import(NOT_INSTALLED)).catch(
      (caught: unknown) => caught,
    );
    expect(isLtlabError(error) && error.code).toBe('RUNTIME.BACKEND_UNAVAILABLE');
    expect(String((error as Error).message)).toContain(`ltlab train needs the training package ${NOT_INSTALLED}`);
    expect(isLtlabError(error) && error.fix).toContain('npm install @ltlab/cli @ltlab/train @ltlab/runtime');
  });

  it('passes other load errors through unchanged', async () => {
    const failure = new Error('the native addon failed to load');
    await expect(importTrainingPackage('@ltlab/train', 'ltlab train', () => Promise.reject(failure))).rejects.toBe(
      failure,
    );
  });

  it('finds the training packages of this workspace, and names the one a host lacks', () => {
    expect(() => assertTrainingPackages('ltlab worker')).not.toThrow();
    const lacksRuntime = (specifier: string): string => {
      if (specifier !== '@ltlab/runtime') return `file:///${specifier}`;
      throw Object.assign(new Error(`Cannot find package '${specifier}' imported from /app`), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    };
    expect(() => assertTrainingPackages('ltlab worker', lacksRuntime)).toThrow(
      /ltlab worker needs the training package @ltlab\/runtime/,
    );
  });
});
