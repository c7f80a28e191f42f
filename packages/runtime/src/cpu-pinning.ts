import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { LtlabError } from '@ltlab/core';

/**
 * The wasm backend runs one thread per process in Node (the stock loader disables threads
 * there), so the unit of CPU parallelism is one trainer process per core. Unpinned, two such
 * processes on this 2-core machine gained nothing over one (the scheduler migrates them and
 * they thrash each other's caches); pinning each to its own core is what makes them scale.
 */
export function pinProcessToCore(core: number, pid: number = process.pid): void {
  const cores = availableParallelism();
  if (!Number.isInteger(core) || core < 0 || core >= cores) {
    throw new LtlabError('CONFIG.INVALID', `core ${core} does not exist here (cores 0-${cores - 1})`, {
      fix: `Pass a core index between 0 and ${cores - 1}.`,
    });
  }
  try {
    execFileSync('taskset', ['-cp', String(core), String(pid)], { stdio: 'ignore' });
  } catch (error) {
    throw new LtlabError('CONFIG.UNSUPPORTED', `could not pin process ${pid} to core ${core}: ${String(error)}`, {
      fix: 'Install util-linux (taskset), or run the trainer processes unpinned.',
      cause: error,
    });
  }
}

/** The cores this process may run on, as `taskset -p` reports them (Linux only). */
export function processAffinity(pid: number = process.pid): number[] {
  const out = execFileSync('taskset', ['-cp', String(pid)], { encoding: 'utf8' });
  const list = out.split(':').at(-1)?.trim() ?? '';
  return list.split(',').flatMap((part) => {
    const [from, to] = part.split('-').map(Number) as [number, number | undefined];
    return to === undefined ? [from] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}
