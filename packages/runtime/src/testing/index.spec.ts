import { readFileSync } from 'node:fs';
import * as main from '@ltlab/runtime';
import * as testing from '@ltlab/runtime/testing';
import { describe, expect, it } from 'vitest';

const FIXTURES = [
  'createCifarResNet',
  'createMlp',
  'createResNeXtBlockNet',
  'randomBatch',
  'valuesOn',
  'lossAndGradients',
  'onCpuAndWasm',
  'relativeError',
  'seededNormal',
  'softmaxCrossEntropy',
  'webgpuForTests',
] as const;

describe('@ltlab/runtime/testing', () => {
  it('holds the reference models and comparison helpers, which the main entry no longer exports', () => {
    for (const name of FIXTURES) {
      expect(typeof (testing as Record<string, unknown>)[name], name).toBe('function');
      expect((main as Record<string, unknown>)[name], name).toBeUndefined();
    }
  });

  it('is exported like the main entry: sources in the workspace, dist/testing once built', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, Record<string, string>>;
    };
    expect(manifest.exports['./testing']).toEqual({
      '@ltlab/source': './src/testing/index.ts',
      types: './dist/testing/index.d.ts',
      default: './dist/testing/index.js',
    });
    expect(Object.keys(manifest.exports['./testing'] ?? {})).toEqual(Object.keys(manifest.exports['.'] ?? {}));
  });
});
