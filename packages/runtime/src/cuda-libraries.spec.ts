import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingSharedLibraries, TFJS_NODE_GPU_LIBRARIES } from './cuda-libraries.js';

describe('missingSharedLibraries', () => {
  const cache =
    '\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6\n\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/libcudnn.so.8\n';

  it('finds libraries in the linker cache and names the ones it lacks', () => {
    expect(missingSharedLibraries(TFJS_NODE_GPU_LIBRARIES, {}, () => cache)).toEqual(['libcudart.so.11.0']);
  });

  it('finds a library in a LD_LIBRARY_PATH directory, where a CUDA 11 runtime is often unpacked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-cuda-'));
    writeFileSync(join(dir, 'libcudart.so.11.0'), '');
    expect(missingSharedLibraries(TFJS_NODE_GPU_LIBRARIES, { LD_LIBRARY_PATH: `/nope:${dir}` }, () => cache)).toEqual(
      [],
    );
  });

  it('does not take a CUDA 12 library for the CUDA 11 one', () => {
    const cuda12 = '\tlibcudart.so.12 (libc6,x86-64) => /usr/local/cuda/lib64/libcudart.so.12\n';
    expect(missingSharedLibraries(['libcudart.so.11.0'], {}, () => cuda12)).toEqual(['libcudart.so.11.0']);
  });

  it('reads this machine’s linker cache (libc is always there)', () => {
    expect(missingSharedLibraries(['libc.so.6'])).toEqual([]);
  });
});
