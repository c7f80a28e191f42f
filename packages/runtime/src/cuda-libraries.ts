import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The CUDA libraries tfjs-node-gpu 4.22's libtensorflow 2.9 opens by soname. Without them it does
 * not fail: it logs a warning and runs every op on the CPU, which is how a CUDA 12+ host
 * (tensorflow/tfjs#8362) ends up training on its CPU behind a `tensorflow` backend.
 */
export const TFJS_NODE_GPU_LIBRARIES = ['libcudart.so.11.0', 'libcudnn.so.8'] as const;

/** The libraries of `names` that neither the linker cache nor LD_LIBRARY_PATH has. */
export function missingSharedLibraries(
  names: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  linkerCache: () => string = readLinkerCache,
): string[] {
  const dirs = (env.LD_LIBRARY_PATH ?? '').split(':').filter((dir) => dir !== '');
  let cache: string | undefined;
  return names.filter((name) => {
    if (dirs.some((dir) => existsSync(join(dir, name)))) return false;
    cache ??= linkerCache();
    return !cache.includes(`${name} `);
  });
}

/** `ldconfig -p`: the libraries the dynamic linker finds by soname (empty when ldconfig is absent). */
export function readLinkerCache(): string {
  for (const ldconfig of ['/sbin/ldconfig', '/usr/sbin/ldconfig', 'ldconfig']) {
    const result = spawnSync(ldconfig, ['-p'], { encoding: 'utf8' });
    if (result.status === 0) return result.stdout;
  }
  return '';
}
