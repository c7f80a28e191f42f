import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TFJS_PEER_RANGE, TFJS_VERSION } from '../manifests/rules.js';
import { buildAndPack, npmEnv, type PackedPackage, withWorkspaceDependencies } from './pack-packages.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const consumerScript = fileURLToPath(new URL('./__fixtures__/paco-consumer.mjs', import.meta.url));
// The worked example of docs/methods.md §8.6, case A, from the original PyTorch PaCoLoss.
const PACO_WORKED_EXAMPLE = 4.115953858851973;

// What a user gets from `npm install @ltlab/losses`: the tarballs npm would publish, installed
// into an empty project next to the TF.js the user chose. Everything lives in a temp folder.
describe('@ltlab/losses installed alone from its npm tarballs', () => {
  const work = mkdtempSync(join(tmpdir(), 'ltlab-pack-'));
  const consumer = join(work, 'consumer');
  let packed: PackedPackage[] = [];

  beforeAll(() => {
    packed = buildAndPack(root, withWorkspaceDependencies(root, '@ltlab/losses'), work);
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    copyFileSync(consumerScript, join(consumer, 'paco.mjs'));
    const install = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock'];
    const tfjs = [`@tensorflow/tfjs-core@${TFJS_VERSION}`, `@tensorflow/tfjs-backend-cpu@${TFJS_VERSION}`];
    execFileSync('npm', [...install, ...packed.map((p) => p.tarball), ...tfjs], {
      cwd: consumer,
      env: npmEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }, 180_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs losses with core as its only workspace dependency', () => {
    expect(packed.map((p) => p.name)).toEqual(['@ltlab/core', '@ltlab/losses']);
  });

  it('ships the built dist/, LICENSE, README and package.json; no sources, specs or fixtures', () => {
    for (const { files } of packed) {
      expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js']));
      expect(files).toContain('dist/index.d.ts');
      expect(files.filter((file) => !file.startsWith('dist/') || /\.spec\.|__fixtures__/.test(file))).toEqual([
        'LICENSE',
        'README.md',
        'package.json',
      ]);
    }
  });

  it('installs no @ltlab package beyond core and losses, and a single tfjs-core', () => {
    expect(readdirSync(join(consumer, 'node_modules/@ltlab')).sort()).toEqual(['core', 'losses']);
    const installed = JSON.parse(readFileSync(join(consumer, 'node_modules/@ltlab/losses/package.json'), 'utf8'));
    expect(installed.peerDependencies).toEqual({ '@tensorflow/tfjs-core': TFJS_PEER_RANGE });
    expect(existsSync(join(consumer, 'node_modules/@ltlab/losses/node_modules/@tensorflow'))).toBe(false);
    // npm ls exits non-zero on a missing, invalid or unmet peer dependency.
    execFileSync('npm', ['ls', '--all'], { cwd: consumer, env: npmEnv(), stdio: 'ignore' });
  });

  it('computes the PaCo loss on the cpu backend, to the reference value, leaking no tensor', () => {
    const output = execFileSync(process.execPath, ['paco.mjs'], {
      cwd: consumer,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'], // TF.js's "install the node backend" banner goes to stderr
    });
    const result = JSON.parse(output.trim().split('\n').at(-1) ?? '') as {
      backend: string;
      loss: number;
      leakedTensors: number;
    };
    expect(result.backend).toBe('cpu');
    expect(Number.isFinite(result.loss)).toBe(true);
    expect(Math.abs(result.loss - PACO_WORKED_EXAMPLE)).toBeLessThanOrEqual(1e-6 + 1e-5 * PACO_WORKED_EXAMPLE);
    expect(result.leakedTensors).toBe(0);
  });
});
