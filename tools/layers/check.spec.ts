import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLayers } from './check.js';
import { findImports } from './imports.js';

const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('layer check on this workspace', () => {
  it('finds no violation in the committed code', () => {
    expect(checkLayers(workspaceRoot)).toEqual([]);
  });

  it('fails when store imports losses (an upward/sideways edge)', () => {
    const violations = checkLayers(workspaceRoot, {
      overlay: { 'packages/store/src/bad.ts': "import { getLoss } from '@ltlab/losses';\nexport const x = getLoss;\n" },
    });
    expect(violations.map((v) => v.rule)).toContain('layer');
    expect(violations.find((v) => v.rule === 'layer')?.message).toMatch(/store may not import losses/);
    expect(violations.find((v) => v.rule === 'layer')?.file).toBe('packages/store/src/bad.ts');
  });

  it('fails when the dashboard imports @tensorflow/tfjs', () => {
    const violations = checkLayers(workspaceRoot, {
      overlay: { 'apps/dashboard/src/bad.ts': "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n" },
    });
    expect(violations.some((v) => v.rule === 'tensorflow' && v.file === 'apps/dashboard/src/bad.ts')).toBe(true);
  });

  it('fails when a component peer imports another peer', () => {
    const violations = checkLayers(workspaceRoot, {
      overlay: { 'packages/losses/src/bad.ts': "export * from '@ltlab/backbones';\n" },
    });
    expect(violations.some((v) => v.rule === 'layer' && /losses may not import backbones/.test(v.message))).toBe(true);
  });

  it('lets config import the TF-free schema entries of losses and backbones, not their main entries', () => {
    const ok = checkLayers(workspaceRoot, {
      overlay: {
        'packages/config/src/ok.ts':
          "import { lossSchemaRegistry } from '@ltlab/losses/schema';\nimport { backboneSchemaRegistry } from '@ltlab/backbones/schema';\nexport const r = [lossSchemaRegistry, backboneSchemaRegistry];\n",
      },
    });
    expect(ok.filter((v) => v.file === 'packages/config/src/ok.ts')).toEqual([]);
    const bad = checkLayers(workspaceRoot, {
      overlay: {
        'packages/config/src/bad.ts': "import { lossRegistry } from '@ltlab/losses';\nexport const r = lossRegistry;\n",
      },
    });
    expect(bad.some((v) => v.rule === 'tensorflow' && v.file === 'packages/config/src/bad.ts')).toBe(true);
  });

  it('flags a schema entry that starts loading TF.js, at the control-plane import', () => {
    const violations = checkLayers(workspaceRoot, {
      overlay: {
        'packages/losses/src/schema/paco.ts': "import * as tf from '@tensorflow/tfjs-core';\nexport const t = tf;\n",
        'packages/config/src/uses-schema.ts':
          "import { pacoSchemaEntry } from '@ltlab/losses/schema';\nexport const p = pacoSchemaEntry;\n",
      },
    });
    expect(violations.some((v) => v.rule === 'tensorflow' && v.file === 'packages/config/src/uses-schema.ts')).toBe(
      true,
    );
  });

  it('lets tests import the golden test data, and shipped code not', () => {
    const violations = checkLayers(workspaceRoot, {
      overlay: {
        'packages/metrics/src/ok.spec.ts':
          "import { readGolden } from '@ltlab/golden';\nexport const g = readGolden;\n",
        'packages/metrics/src/bad.ts': "import { readGolden } from '@ltlab/golden';\nexport const g = readGolden;\n",
      },
    });
    expect(violations.map((v) => [v.rule, v.file])).toEqual([['layer', 'packages/metrics/src/bad.ts']]);
    expect(violations[0]?.message).toMatch(/golden is test data/);
  });

  it('fails on deep imports into another package and on relative escapes', () => {
    const violations = checkLayers(workspaceRoot, {
      overlay: {
        'packages/train/src/deep.ts': "import { Rng } from '@ltlab/core/src/rng.js';\nexport const r = Rng;\n",
        'packages/train/src/escape.ts': "import { Rng } from '../../core/src/rng.js';\nexport const r = Rng;\n",
      },
    });
    expect(violations.map((v) => v.rule).sort()).toEqual(['deep-import', 'escape']);
  });

  it('fails when a control-plane package statically imports an entry that loads TensorFlow.js', () => {
    const violations = checkLayers(workspaceRoot, {
      overlay: {
        // A runtime file that loads TF, and an orchestrator file reaching it through @ltlab/train.
        'packages/runtime/src/tf-user.ts': "import * as tf from '@tensorflow/tfjs-core';\nexport const t = tf;\n",
        'packages/runtime/src/index.ts': "export * from './tf-user.js';\n",
        'packages/train/src/index.ts': "export * from '@ltlab/runtime';\n",
        'packages/orchestrator/src/static.ts': "import * as train from '@ltlab/train';\nexport const t = train;\n",
        'packages/orchestrator/src/lazy.ts': "export const load = () => import('@ltlab/train');\n",
      },
    });
    const tf = violations.filter((v) => v.rule === 'tensorflow');
    expect(tf.map((v) => v.file)).toEqual(['packages/orchestrator/src/static.ts']);
  });

  it('fails on an import not declared in package.json', () => {
    const violations = checkLayers(workspaceRoot, {
      overlay: { 'packages/core/src/bad.ts': "import left from 'left-pad';\nexport const l = left;\n" },
    });
    expect(violations.map((v) => v.rule)).toEqual(['undeclared']);
  });
});

describe('layer check command', () => {
  const temp = mkdtempSync(join(tmpdir(), 'ltlab-layers-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  function write(path: string, text: string): void {
    mkdirSync(dirname(join(temp, path)), { recursive: true });
    writeFileSync(join(temp, path), text);
  }

  function pkg(folder: string, deps: Record<string, string> = {}): void {
    const name = `@ltlab/${folder}`;
    const manifest = { name, exports: { '.': { '@ltlab/source': './src/index.ts' } }, dependencies: deps };
    write(`packages/${folder}/package.json`, JSON.stringify(manifest));
  }

  it('exits 1 and names the file for a violation, 0 when clean', () => {
    write('package.json', JSON.stringify({ name: 'ws', devDependencies: {} }));
    pkg('losses');
    write('packages/losses/src/index.ts', 'export const loss = 1;\n');
    pkg('store', { '@ltlab/losses': '0.1.0' });
    write('packages/store/src/index.ts', "export { loss } from '@ltlab/losses';\n");
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const tsx = join(workspaceRoot, 'node_modules/.bin/tsx');
    const bad = spawnSync(tsx, [main, temp], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('packages/store/src/index.ts:1');
    expect(bad.stderr).toContain('store may not import losses');

    write('packages/store/src/index.ts', 'export const fine = 1;\n');
    const good = spawnSync(tsx, [main, temp], { encoding: 'utf8' });
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
  });
});

describe('findImports', () => {
  it('sees static, re-export, dynamic, require and type-only imports', () => {
    const text = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "export * from 'c';",
      "const d = await import('d');",
      "const e = require('e');",
      "type F = import('f').F;",
    ].join('\n');
    expect(findImports('x.ts', text)).toEqual([
      { specifier: 'a', line: 1, dynamic: false, typeOnly: false },
      { specifier: 'b', line: 2, dynamic: false, typeOnly: true },
      { specifier: 'c', line: 3, dynamic: false, typeOnly: false },
      { specifier: 'd', line: 4, dynamic: true, typeOnly: false },
      { specifier: 'e', line: 5, dynamic: false, typeOnly: false },
      { specifier: 'f', line: 6, dynamic: false, typeOnly: true },
    ]);
  });
});
