import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The schema entry is what the control plane imports (docs/architecture.md §2): loading it must
 * not load TensorFlow.js. A fresh Node process imports it with a resolve hook that fails on any
 * module under `@tensorflow/`, so an import of tfjs-core anywhere in its graph fails this test.
 */
const dir = mkdtempSync(join(tmpdir(), 'ltlab-backbones-tf-free-'));
const probe = join(dir, 'probe.mjs');
writeFileSync(
  probe,
  `import { register } from 'node:module';
const hook = \`export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.includes('/@tensorflow/')) throw new Error('loaded TensorFlow.js: ' + specifier);
  return result;
}\`;
register('data:text/javascript,' + encodeURIComponent(hook));
`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function importIn(specifier: string, check: string): { status: number | null; output: string } {
  const script = `const m = await import('${specifier}'); ${check}`;
  const run = spawnSync(
    process.execPath,
    ['--conditions=@ltlab/source', '--import', 'tsx', '--import', probe, '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('@ltlab/backbones/schema', () => {
  it('loads no module under @tensorflow/ and lists every backbone and segmentation model', () => {
    const run = importIn(
      '@ltlab/backbones/schema',
      "console.log([...m.backboneSchemaRegistry.names(), ...m.segmentationModelSchemaRegistry.names()].join(','));",
    );
    expect(run.output).not.toContain('loaded TensorFlow.js');
    expect(run.status).toBe(0);
    expect(run.output).toContain('resnet8,resnet20');
    expect(run.output).toContain('upernet-resnet101');
  });

  it('the probe catches the main entry, which loads TensorFlow.js', () => {
    const run = importIn('@ltlab/backbones', '');
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('loaded TensorFlow.js: @tensorflow/tfjs-core');
  });
});
