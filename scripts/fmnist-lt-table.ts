/**
 * Trains the Fashion-MNIST-LT recipes and writes their results table into
 * configs/fashion-mnist-lt/README.md (between the `results:<profile>` markers).
 * Usage: npm run fmnist-lt-table -- [--profile small|full] [--methods ce,balanced-softmax,...] [--parallel 2]
 * Each recipe runs as `ltlab train` in its own process, pinned to one core (wasm is single-threaded).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { trainerEventSchema } from '@ltlab/config';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'small' },
    methods: { type: 'string', default: 'ce,balanced-softmax,ldam-drw,paco,reslt' },
    parallel: { type: 'string', default: String(Math.min(2, availableParallelism())) },
    backend: { type: 'string', default: 'auto' },
  },
});
const profile = values.profile as string;
const methods = (values.methods as string).split(',');
const parallel = Number(values.parallel);

interface Result {
  method: string;
  top1: number;
  /** Null for a shot group without classes (e.g. fmnist-lt has no few-shot class). */
  many: number | null;
  medium: number | null;
  few: number | null;
  seconds: number;
  imagesPerSecond: number;
  backend: string;
}

function train(method: string, core: number): Promise<Result> {
  const config = join(root, 'configs/fashion-mnist-lt', profile, `${method}.yaml`);
  const out = join(root, '.ltlab/recipes', profile, method);
  mkdirSync(out, { recursive: true });
  const args = [
    join(root, 'apps/cli/bin/ltlab.mjs'),
    'train',
    config,
    '--out',
    out,
    '--backend',
    values.backend as string,
    '--run-id',
    method,
  ];
  const taskset = ['/usr/bin/taskset', '/bin/taskset'].find((path) => existsSync(path));
  const child =
    taskset === undefined
      ? spawn(process.execPath, args)
      : spawn(taskset, ['-c', String(core), process.execPath, ...args]);
  const started = Date.now();
  let buffer = '';
  let final: Result | undefined;
  let backend = '';
  const speeds: number[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const event = trainerEventSchema.parse(JSON.parse(line));
      if (event.type === 'started') backend = event.backend;
      if (event.type === 'epoch') {
        speeds.push(event.imagesPerSecond);
        process.stderr.write(`[${method}] epoch ${event.epoch} loss ${event.trainLoss.toFixed(4)}\n`);
      }
      if (event.type === 'finished' && event.metrics !== null) {
        const { top1, many, medium, few } = event.metrics;
        final = {
          method,
          top1,
          many,
          medium,
          few,
          seconds: (Date.now() - started) / 1000,
          imagesPerSecond: 0,
          backend,
        };
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[${method}] ${chunk.toString()}`));
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      if (code !== 0 || final === undefined) reject(new Error(`${method} exited with ${code}`));
      else resolve({ ...final, imagesPerSecond: speeds.reduce((a, b) => a + b, 0) / Math.max(1, speeds.length) });
    });
  });
}

// Two-view methods cost about twice a step: start them first so the cores finish together.
const TWO_VIEW = new Set(['paco']);
const queue = [...methods.filter((m) => TWO_VIEW.has(m)), ...methods.filter((m) => !TWO_VIEW.has(m))];
const results: Result[] = [];
await Promise.all(
  Array.from({ length: parallel }, async (_, core) => {
    for (let method = queue.shift(); method !== undefined; method = queue.shift())
      results.push(await train(method, core));
  }),
);
results.sort((a, b) => methods.indexOf(a.method) - methods.indexOf(b.method));

const pct = (v: number) => (100 * v).toFixed(2);
const groupPct = (v: number | null) => (v === null ? '–' : pct(v));
const table = [
  '| method | top-1 % | many % | medium % | few % | wall time | train images/s | backend |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (r) =>
      `| [${r.method}](${profile}/${r.method}.yaml) | ${pct(r.top1)} | ${groupPct(r.many)} | ${groupPct(r.medium)} | ${groupPct(r.few)} | ${(r.seconds / 60).toFixed(1)} min | ${r.imagesPerSecond.toFixed(0)} | ${r.backend} |`,
  ),
].join('\n');
const readme = join(root, 'configs/fashion-mnist-lt/README.md');
const begin = `<!-- results:${profile} -->`;
const end = `<!-- /results:${profile} -->`;
const text = readFileSync(readme, 'utf8');
const from = text.indexOf(begin);
const to = text.indexOf(end);
if (from < 0 || to < 0) throw new Error(`${readme} lacks the ${begin} ... ${end} markers`);
const stamp = `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run fmnist-lt-table -- --profile ${profile}\` (${parallel} runs at a time, one pinned core each).`;
writeFileSync(readme, `${text.slice(0, from + begin.length)}\n${stamp}\n\n${table}\n${text.slice(to)}`);
console.log(table);
