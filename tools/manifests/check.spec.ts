import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkManifests, type ManifestViolation } from './check.js';
import { shippedFiles } from './shipped-references.js';

const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));
const REPO = 'git+https://example.test/ltlab.git';

describe('manifest check on this workspace', () => {
  it('finds every package.json in line with the code it ships', () => {
    expect(checkManifests(workspaceRoot)).toEqual([]);
  });

  it('sees shipped scripts outside src/: the install script and the bin', () => {
    const runtime = shippedFiles(join(workspaceRoot, 'packages/runtime'), {
      files: ['dist', 'native/src', 'native/build.mjs'],
    });
    expect(runtime).toContain('native/build.mjs');
    expect(runtime.some((file) => /\.spec\.ts$|__fixtures__/.test(file))).toBe(false);
    expect(shippedFiles(join(workspaceRoot, 'apps/cli'), { bin: { ltlab: './bin/ltlab.mjs' } })).toContain(
      'bin/ltlab.mjs',
    );
  });
});

// A small workspace in a temp folder: a clean one, then one defect at a time.
interface FixtureManifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [field: string]: unknown;
}
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function library(name: string, extra: FixtureManifest = {}): FixtureManifest {
  return {
    name: `@ltlab/${name}`,
    version: '0.1.0',
    license: 'Apache-2.0',
    repository: { type: 'git', url: REPO, directory: `packages/${name}` },
    engines: { node: '>=20.19' },
    exports: { '.': { '@ltlab/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' } },
    files: ['dist'],
    ...extra,
  };
}

interface Fixture {
  manifests: Record<string, FixtureManifest>;
  sources: Record<string, string>;
  licenses?: string[];
}

function cleanFixture(): Fixture {
  return {
    manifests: {
      'packages/core': library('core', { dependencies: { zod: '4.1.13' } }),
      'packages/losses': library('losses', {
        dependencies: { '@ltlab/core': '^0.1.0', zod: '4.1.13' },
        peerDependencies: { '@tensorflow/tfjs-core': '^4.22.0' },
        devDependencies: { '@tensorflow/tfjs-core': '4.22.0', '@ltlab/runtime': '0.1.0' },
      }),
      'apps/cli': {
        name: '@ltlab/cli',
        version: '0.1.0',
        private: true,
        bin: { ltlab: './bin/ltlab.mjs' },
        dependencies: { '@ltlab/losses': '0.1.0', '@tensorflow/tfjs-core': '4.22.0' },
      },
    },
    sources: {
      'packages/core/src/index.ts': "import { z } from 'zod';\nexport const s = z.string();\n",
      'packages/losses/src/index.ts': [
        "import type { Tensor } from '@tensorflow/tfjs-core';",
        "import { LtlabError } from '@ltlab/core';",
        "import { z } from 'zod';",
        'export type T = Tensor;',
        'export const e = [LtlabError, z];',
        '',
      ].join('\n'),
      // Test code may import what shipped code does not.
      'packages/losses/src/index.spec.ts':
        "import { initRuntime } from '@ltlab/runtime';\nexport const i = initRuntime;\n",
      'packages/losses/src/__fixtures__/backends.ts': "export * from '@ltlab/runtime';\n",
      'apps/cli/bin/ltlab.mjs': "await import('@ltlab/losses');\n",
    },
    licenses: ['', 'packages/core', 'packages/losses'],
  };
}

function check(fixture: Fixture): ManifestViolation[] {
  const root = mkdtempSync(join(tmpdir(), 'ltlab-manifests-'));
  temps.push(root);
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write(
    'package.json',
    JSON.stringify({
      private: true,
      license: 'Apache-2.0',
      repository: { type: 'git', url: REPO },
      engines: { node: '>=20.19' },
    }),
  );
  for (const [dir, manifest] of Object.entries(fixture.manifests))
    write(`${dir}/package.json`, JSON.stringify(manifest));
  for (const [path, text] of Object.entries(fixture.sources)) write(path, text);
  for (const dir of fixture.licenses ?? []) write(join(dir, 'LICENSE'), 'Apache License 2.0 (fixture)\n');
  return checkManifests(root);
}

function edit(change: (fixture: Fixture) => void): ManifestViolation[] {
  const fixture = cleanFixture();
  change(fixture);
  return check(fixture);
}

const rules = (violations: ManifestViolation[]) => violations.map((v) => `${v.rule} ${v.file}:${v.line}`);
const manifest = (fixture: Fixture, dir: string): FixtureManifest => fixture.manifests[dir] ?? {};
const losses = (fixture: Fixture): FixtureManifest => manifest(fixture, 'packages/losses');

describe('manifest check rules', () => {
  it('passes the clean fixture: type-only imports count, specs and __fixtures__ do not', () => {
    expect(check(cleanFixture())).toEqual([]);
  });

  it('fails on a dependency no shipped code imports (losses → runtime)', () => {
    const violations = edit((f) => {
      losses(f).dependencies = { ...losses(f).dependencies, '@ltlab/runtime': '^0.1.0' };
    });
    expect(rules(violations)).toEqual(['unused packages/losses/package.json:1']);
    expect(violations[0]?.message).toMatch(/'@ltlab\/runtime' is a dependency, but no shipped code/);
  });

  it('fails on an import that is undeclared or only a devDependency, naming file and line', () => {
    const violations = edit((f) => {
      f.sources['packages/losses/src/extra.ts'] = "import left from 'left-pad';\nimport { x } from '@ltlab/runtime';\n";
      f.sources['packages/core/src/lazy.ts'] = "export const where = require.resolve('yaml');\n";
    });
    expect(rules(violations)).toEqual([
      'undeclared packages/core/src/lazy.ts:1',
      'undeclared packages/losses/src/extra.ts:1',
      'dev-only packages/losses/src/extra.ts:2',
    ]);
  });

  it('fails when TF.js is a dependency, an exact peer, or missing from devDependencies', () => {
    const asDependency = edit((f) => {
      losses(f).dependencies = { ...losses(f).dependencies, '@tensorflow/tfjs-core': '4.22.0' };
    });
    expect(asDependency.map((v) => v.message)).toEqual([
      expect.stringMatching(/make it a peerDependency \(\^4\.22\.0\)/),
    ]);
    const exactPeer = edit((f) => {
      losses(f).peerDependencies = { '@tensorflow/tfjs-core': '4.22.0' };
      losses(f).devDependencies = {};
    });
    expect(exactPeer.map((v) => v.message)).toEqual([
      expect.stringMatching(/is '4\.22\.0'; it should be '\^4\.22\.0'/),
      expect.stringMatching(/also be a devDependency at exactly 4\.22\.0/),
    ]);
  });

  it('fails on an internal dependency without a caret range on the workspace version', () => {
    const violations = edit((f) => {
      losses(f).dependencies = { ...losses(f).dependencies, '@ltlab/core': '0.1.0' };
    });
    expect(rules(violations)).toEqual(['internal-range packages/losses/package.json:1']);
  });

  it('fails when a private app does not provide the peers of the packages it runs', () => {
    const violations = edit((f) => {
      manifest(f, 'apps/cli').dependencies = { '@ltlab/losses': '0.1.0' };
    });
    expect(rules(violations)).toEqual(['unprovided-peer apps/cli/package.json:1']);
    expect(violations[0]?.message).toMatch(/@ltlab\/losses has the peerDependency '@tensorflow\/tfjs-core'/);
  });

  it('holds publishable packages to LICENSE, repository, engines and files', () => {
    const violations = edit((f) => {
      f.licenses = [''];
      const core = manifest(f, 'packages/core');
      delete core.engines;
      core.repository = { type: 'git', url: REPO };
      core.files = ['src', 'lib'];
    });
    expect(rules(violations)).toEqual([
      'license packages/core/LICENSE:1',
      'repository packages/core/package.json:1',
      'engines packages/core/package.json:1',
      'files packages/core/package.json:1',
      'files packages/core/package.json:1',
      'files packages/core/package.json:1',
      'license packages/losses/LICENSE:1',
    ]);
    expect(violations.filter((v) => v.rule === 'files').map((v) => v.message)).toEqual([
      expect.stringMatching(/includes 'src'/),
      expect.stringMatching(/'\.\/dist\/index\.d\.ts' is not under any "files" entry/),
      expect.stringMatching(/'\.\/dist\/index\.js' is not under any "files" entry/),
    ]);
  });

  it('fails when a publishable package depends on a private one', () => {
    const violations = edit((f) => {
      f.manifests['packages/golden'] = { name: '@ltlab/golden', version: '0.1.0', private: true };
      f.sources['packages/losses/src/golden.ts'] = "export * from '@ltlab/golden';\n";
      losses(f).dependencies = { ...losses(f).dependencies, '@ltlab/golden': '^0.1.0' };
    });
    expect(rules(violations)).toEqual(['private-dependency packages/losses/package.json:1']);
  });
});
