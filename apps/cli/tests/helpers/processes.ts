import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Helpers of the specs that run real `ltlab serve` and `ltlab worker` processes. */

/** The `ltlab` command as the specs run it. */
export const BIN = fileURLToPath(new URL('../../bin/ltlab.mjs', import.meta.url));

const normalize = { name: 'normalize', mean: [0.286], std: [0.353] };
const tiny8 = [{ name: 'resize', size: 8 }, { name: 'horizontalFlip' }, normalize];

/** A tiny Fashion-MNIST-LT run, a checkpoint every epoch: deterministic on the cpu backend. */
export function tinyRunConfig(epochs: number) {
  return {
    seed: 3,
    data: {
      source: 'fashion-mnist',
      longTail: { imbalanceFactor: 4, imgMax: 12 },
      transforms: { train: tiny8, test: [{ name: 'resize', size: 8 }, normalize] },
    },
    backbone: { name: 'resnet8' },
    method: { loss: 'cross-entropy' },
    optimizer: { lr: 0.05 },
    schedule: { type: 'warmup-cosine', warmupEpochs: 1 },
    epochs,
    batchSize: 16,
    evaluation: { maxPerClass: 4, batchSize: 16 },
    checkpoint: { everyEpochs: 1, keepLast: 2, keepBest: true },
  };
}

export function sh(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

export function must(command: string, ...args: string[]): void {
  const result = sh(command, args);
  if (!result.ok) throw new Error(`${command} ${args.join(' ')}: ${result.output}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(
  check: () => Promise<T | null> | T | null,
  timeoutMs: number,
  what: string | (() => string),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
}

/** A child whose stderr lines are kept (for assertions and for the failure message). */
export function start(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; lines: string[] } {
  // Its own process group: SIGKILL to the group takes the worker and its trainer at once, as a host dies.
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const lines: string[] = [];
  if (child.stderr !== null) createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
  return { child, lines };
}

export function killGroup(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** The dashboard address `ltlab serve` logs once it listens. */
export function serveUrl(lines: readonly string[]): string | null {
  return lines.map((line) => /serve: dashboard (http:\S+?);/.exec(line)?.[1]).find((u) => u !== undefined) ?? null;
}
