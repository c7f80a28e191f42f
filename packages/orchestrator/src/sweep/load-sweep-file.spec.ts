import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSweepFile } from './load-sweep-file.js';

const base = {
  data: { source: 'fashion-mnist', longTail: { imbalanceFactor: 100, imgMax: 1000 } },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.1 },
  epochs: 2,
  batchSize: 64,
};

describe('loadSweepFile', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-load-sweep-'));
    writeFileSync(join(dir, 'base.json'), JSON.stringify(base));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a missing path, a directory and a file that is no mapping, as config errors', async () => {
    await expect(loadSweepFile(join(dir, 'nope.yaml'))).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
      message: expect.stringMatching(/nope\.yaml does not exist/),
    });
    mkdirSync(join(dir, 'folder.yaml'));
    await expect(loadSweepFile(join(dir, 'folder.yaml'))).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
      message: expect.stringMatching(/folder\.yaml is a directory/),
    });
    await expect(loadSweepFile(write('list.yaml', '- a\n- b\n'))).rejects.toMatchObject({
      message: expect.stringMatching(/must be a mapping of sweep fields, not a list/),
    });
    await expect(loadSweepFile(write('empty.yaml', ''))).rejects.toMatchObject({
      message: expect.stringMatching(/not empty/),
    });
  });

  it('refuses a misspelt sweep key with the nearest known one', async () => {
    const path = write('grdi.yaml', 'name: typo\nbase: base.json\ngrdi:\n  optimizer.lr: [0.1, 0.2]\n');
    await expect(loadSweepFile(path)).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
      message: expect.stringContaining("  - grdi: unknown key; did you mean 'grid'?"),
    });
  });

  it('refuses config keys and paths the run config does not have, naming their place in the sweep file', async () => {
    writeFileSync(join(dir, 'typo-base.json'), JSON.stringify({ ...base, optimiser: { lr: 0.5 } }));
    const path = write('paths.yaml', 'name: typo\nbase: typo-base.json\ngrid:\n  optimizer.lrr: [0.1, 0.2]\n');
    const error = await loadSweepFile(path).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CONFIG.INVALID' });
    expect((error as Error).message).toContain("  - base.optimiser: unknown key; did you mean 'optimizer'?");
    expect((error as Error).message).toContain(
      "  - grid.optimizer.lrr: the run config has no 'optimizer.lrr'; did you mean 'optimizer.lr'?",
    );
  });

  it('refuses a 10^6 grid in well under a second, before expanding or even reading the base', async () => {
    const thousand = `[${Array.from({ length: 1000 }, (_, i) => i / 1000).join(', ')}]`;
    const path = write(
      'huge.yaml',
      `name: huge\nbase: missing-base.yaml\ngrid:\n  optimizer.lr: ${thousand}\n  optimizer.momentum: ${thousand}\n`,
    );
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const error = await loadSweepFile(path).catch((caught: unknown) => caught);
    const elapsedMs = performance.now() - started;
    expect(error).toMatchObject({
      code: 'CONFIG.INVALID',
      message: expect.stringContaining("Sweep 'huge' expands to 1,000,000 runs"),
      details: { runs: 1_000_000, limit: 10_000 },
    });
    // Generous for CI; expanding it took minutes and gigabytes before the count came first.
    expect(elapsedMs).toBeLessThan(2_000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 2 ** 20);
  });

  it("takes the file's maxRuns, and the caller's limit over it", async () => {
    const path = write(
      'three.yaml',
      'name: three\nbase: base.json\nmaxRuns: 2\ngrid:\n  optimizer.lr: [0.1, 0.2, 0.3]\n',
    );
    await expect(loadSweepFile(path)).rejects.toMatchObject({ message: expect.stringMatching(/limit of 2;/) });
    expect((await loadSweepFile(path, { maxRuns: 3 })).expanded.runs).toHaveLength(3);
  });
});
