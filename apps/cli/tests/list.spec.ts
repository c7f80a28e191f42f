import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runLtlab } from './bad-inputs/run-ltlab.js';

const RECORD_RESOLVES = fileURLToPath(new URL('./__fixtures__/record-resolves.mjs', import.meta.url));

/** Runs `ltlab args`, recording every module it resolves (the hook of help.spec.ts). */
async function ltlab(args: readonly string[], log: string) {
  writeFileSync(log, '');
  const result = await runLtlab(args, {
    env: { LTLAB_RESOLVE_LOG: log, NODE_OPTIONS: `--import ${RECORD_RESOLVES}` },
    timeoutMs: 60_000,
  });
  return { ...result, loaded: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

describe('ltlab list, as a process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ltlab-list-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads no TF.js, losses and backbones included (their schema entries)', { timeout: 60_000 }, async () => {
    const [samplers, losses, backbones, help] = await Promise.all([
      ltlab(['list', 'samplers'], join(dir, 'samplers.log')),
      ltlab(['list', 'losses', '--json'], join(dir, 'losses.log')),
      ltlab(['list', 'backbones'], join(dir, 'backbones.log')),
      ltlab(['list', '--help'], join(dir, 'help.log')),
    ]);
    expect(samplers.status, samplers.stderr).toBe(0);
    expect(samplers.stdout).toMatch(/^class-balanced {2}a class from a shuffled cycle/m);
    expect(samplers.loaded.filter((url) => url.includes('/@tensorflow/'))).toEqual([]);
    expect(losses.status, losses.stderr).toBe(0);
    const listing = JSON.parse(losses.stdout) as { entries: Array<{ name: string }> };
    expect(listing.entries.map((entry) => entry.name)).toContain('region-rebalance');
    expect(losses.loaded.filter((url) => url.includes('/@tensorflow/'))).toEqual([]);
    expect(backbones.status, backbones.stderr).toBe(0);
    expect(backbones.stdout).toMatch(/^resnext50_32x4d /m);
    expect(backbones.stdout).toMatch(/^upernet-resnet50 /m);
    expect(backbones.loaded.filter((url) => url.includes('/@tensorflow/'))).toEqual([]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: ltlab list <kind> [--json]');
    expect(help.loaded.filter((url) => /\/packages\/|\/apps\/cli\/src\/commands\/|\/@tensorflow\//.test(url))).toEqual(
      [],
    );
  });

  it('exits 2 for an unknown kind, naming the nearest', { timeout: 60_000 }, async () => {
    const result = await ltlab(['list', 'transfroms'], join(dir, 'typo.log'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Unknown kind 'transfroms'; did you mean 'transforms'?");
  });
});
