import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What `importWithoutTensorflow` saw: the child's exit status and its stdout and stderr. */
export interface ImportProbeResult {
  status: number | null;
  output: string;
}

/** Printed by the probe when a module under `@tensorflow/` is resolved. */
export const LOADED_TENSORFLOW = 'loaded TensorFlow.js';

const RESOLVE_HOOK = `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.includes('/@tensorflow/')) throw new Error('${LOADED_TENSORFLOW}: ' + specifier);
  return result;
}`;

/**
 * Imports `specifier` in a fresh Node process (sources through tsx) with a resolve hook that
 * fails on any module under `@tensorflow/`, then runs `check` with the module as `m`. A TF-free
 * entry (docs/architecture.md §2) exits 0; one whose import graph reaches TF.js anywhere fails
 * with LOADED_TENSORFLOW and the specifier in its output.
 */
export function importWithoutTensorflow(specifier: string, check = ''): ImportProbeResult {
  const dir = mkdtempSync(join(tmpdir(), 'ltlab-tf-probe-'));
  try {
    const probe = join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent(${JSON.stringify(RESOLVE_HOOK)}));\n`,
    );
    const script = `const m = await import(${JSON.stringify(specifier)}); ${check}`;
    const run = spawnSync(
      process.execPath,
      ['--conditions=@ltlab/source', '--import', 'tsx', '--import', probe, '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
