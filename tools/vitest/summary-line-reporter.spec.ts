import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('summary line reporter', () => {
  it('ends a run with "N passed, N failed", counting a failed setup as a failure', () => {
    const vitest = fileURLToPath(new URL('../../node_modules/.bin/vitest', import.meta.url));
    const config = fileURLToPath(new URL('./__fixtures__/vitest.fixture.config.ts', import.meta.url));
    const result = spawnSync(vitest, ['run', '--config', config], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('1 passed, 1 failed, 1 skipped');
  });

  it('names a file whose test worker died and counts its tests as failed, not skipped', () => {
    const vitest = fileURLToPath(new URL('../../node_modules/.bin/vitest', import.meta.url));
    const config = fileURLToPath(new URL('./__fixtures__/worker-exit/vitest.fixture.config.ts', import.meta.url));
    const result = spawnSync(vitest, ['run', '--config', config], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContain('did not finish (its test worker exited): worker-exit.fixture.ts (3 tests)');
    // The file's 3 tests, and vitest's unhandled "Worker exited unexpectedly" error.
    expect(lines.at(-1)).toBe('0 passed, 4 failed');
  });
});
