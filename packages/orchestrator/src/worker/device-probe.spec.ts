import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeGpu, nvidiaSmiProbe, parseNvidiaSmi, processRssBytes } from './device-probe.js';

const MIB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'ltlab-device-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseNvidiaSmi', () => {
  it('reads index, name and memory (MiB) of every GPU, including names with commas', () => {
    const csv = '0, NVIDIA H100 80GB HBM3, 1234, 81559\n1, Tesla V100-SXM2-16GB, 0, 16160\n2, GPU, with comma, 5, 10\n';
    expect(parseNvidiaSmi(csv)).toEqual([
      { index: 0, name: 'NVIDIA H100 80GB HBM3', memoryUsedBytes: 1234 * MIB, memoryTotalBytes: 81559 * MIB },
      { index: 1, name: 'Tesla V100-SXM2-16GB', memoryUsedBytes: 0, memoryTotalBytes: 16160 * MIB },
      { index: 2, name: 'GPU, with comma', memoryUsedBytes: 5 * MIB, memoryTotalBytes: 10 * MIB },
    ]);
  });

  it('reads the output nvidia-smi gave on an H200 node', () => {
    expect(parseNvidiaSmi('0, NVIDIA H200, 0, 143771\n')).toEqual([
      { index: 0, name: 'NVIDIA H200', memoryUsedBytes: 0, memoryTotalBytes: 143771 * MIB },
    ]);
  });

  it('skips GPUs whose memory the driver cannot read instead of reporting zero', () => {
    expect(parseNvidiaSmi('0, NVIDIA A100, [N/A], [N/A]\n\n1, NVIDIA A100, 7, 40960')).toEqual([
      { index: 1, name: 'NVIDIA A100', memoryUsedBytes: 7 * MIB, memoryTotalBytes: 40960 * MIB },
    ]);
  });

  it('describes a GPU by model, index and memory size', () => {
    expect(describeGpu({ index: 3, name: 'NVIDIA L4', memoryUsedBytes: 0, memoryTotalBytes: 23034 * MIB })).toBe(
      'NVIDIA L4 (GPU 3, 23034 MiB)',
    );
  });
});

describe('nvidiaSmiProbe', () => {
  it('runs the command with the query flags and parses its output', async () => {
    const fake = join(dir, 'fake-nvidia-smi');
    // Echoes its arguments' count into the name, so the test sees that the query flags were passed.
    writeFileSync(fake, '#!/bin/sh\necho "0, Fake GPU $#, 512, 1024"\n');
    chmodSync(fake, 0o755);
    await expect(nvidiaSmiProbe(fake)()).resolves.toEqual([
      { index: 0, name: 'Fake GPU 2', memoryUsedBytes: 512 * MIB, memoryTotalBytes: 1024 * MIB },
    ]);
  });

  it('answers null when nvidia-smi is missing or fails', async () => {
    await expect(nvidiaSmiProbe(join(dir, 'no-such-command'))()).resolves.toBeNull();
    const failing = join(dir, 'failing-nvidia-smi');
    writeFileSync(failing, '#!/bin/sh\necho "NVIDIA-SMI has failed" >&2\nexit 9\n');
    chmodSync(failing, 0o755);
    await expect(nvidiaSmiProbe(failing)()).resolves.toBeNull();
  });
});

describe('processRssBytes', () => {
  it.runIf(process.platform === 'linux')("reads this process's resident memory from /proc", () => {
    const rss = processRssBytes(process.pid);
    expect(rss).not.toBeNull();
    // /proc and Node measure at slightly different moments; they agree to within a few MiB.
    expect(Math.abs((rss as number) - process.memoryUsage().rss)).toBeLessThan(64 * MIB);
  });

  it('answers null for a process that does not exist', () => {
    expect(processRssBytes(2 ** 30)).toBeNull();
  });
});
