import { readFileSync } from 'node:fs';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { runProvenance } from './run-provenance.js';

const versionOf = (path: string) =>
  (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string }).version;

describe('runProvenance', () => {
  it('reads the versions from the installed package.json files, and the runtime from this process', async () => {
    await initRuntime({ backend: 'wasm' });
    const provenance = runProvenance('test device');
    expect(provenance.packages['@ltlab/train']).toBe(versionOf('../../package.json'));
    expect(provenance.packages['@ltlab/losses']).toBe(versionOf('../../../losses/package.json'));
    expect(provenance.packages['@tensorflow/tfjs-core']).toBe(tf.version_core);
    expect(Object.keys(provenance.packages).every((name) => /^@(ltlab|tensorflow)\//.test(name))).toBe(true);
    expect(provenance).toMatchObject({
      tfjs: tf.version_core,
      backend: 'wasm',
      device: 'test device',
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    });
  });
});
