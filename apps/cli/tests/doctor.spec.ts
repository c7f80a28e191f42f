import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BackendReport } from '@ltlab/runtime';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/ltlab.mjs', import.meta.url));

function ltlab(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 240_000 });
}

describe('ltlab doctor (this machine, probed for real in its child process)', () => {
  it('--json: cpu and wasm load, every backend that does not says how to fix it, auto picks one that loads', {
    timeout: 240_000,
  }, () => {
    const { LTLAB_BACKEND: _ignored, ...env } = process.env;
    const result = ltlab(['doctor', '--json'], env);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as BackendReport;
    expect(report.backends.map((d) => d.backend)).toEqual([
      'tensorflow-gpu',
      'webgpu',
      'tensorflow',
      'native',
      'wasm',
      'cpu',
    ]);
    const byName = Object.fromEntries(report.backends.map((d) => [d.backend, d]));
    expect(byName.cpu?.available).toBe(true);
    expect(byName.wasm?.available).toBe(true);
    for (const d of report.backends) {
      expect(d.detail).not.toBe('');
      if (!d.available) expect(d.fix.length, `${d.backend}: ${d.detail}`).toBeGreaterThan(0);
    }
    expect(byName[report.auto.backend ?? 'none']?.available).toBe(true);
    expect(report.requested).toMatchObject({ value: 'auto', backend: report.auto.backend });
    expect(report.env.map((e) => e.name)).toEqual(expect.arrayContaining(['LTLAB_BACKEND', 'LTLAB_WEBGPU_ADAPTER']));
  });

  it('prints the table by default and is listed in --help', { timeout: 240_000 }, () => {
    const result = ltlab(['doctor']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^cpu {13}yes {4}/m);
    expect(result.stdout).toMatch(/^auto picks: \S+/m);
    expect(result.stdout).toMatch(/backends load here/);
    const help = ltlab(['doctor', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^ {2}doctor {5,}which TF\.js backends load here/m);
    const bad = ltlab(['doctor', '--verbose']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Usage: ltlab doctor \[--json\]/);
  });
});
