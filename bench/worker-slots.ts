/**
 * The sweep worker's unit of CPU parallelism on the native backend, measured per machine: images/s
 * that one machine trains when it is split into
 *
 *   (a) N processes x 1 thread, each pinned to its own core (today's worker: packages/orchestrator's
 *       slots.ts + trainer-process.ts, `taskset -c <core>` and LTLAB_NATIVE_THREADS=1)
 *   (b) 1 process x N threads, unpinned (oneDNN/OpenMP over the whole machine)
 *   (c) N processes x N threads, unpinned (oversubscribed; only with --oversubscribed)
 *
 * with N = --threads (default: the cores, os.availableParallelism()). Every process trains the
 * model `ltlab train` builds (createBackbone with its linear `fc` head, train mode) one step at a
 * time as the trainer does: tf.variableGrads of the mean softmax cross-entropy, then @ltlab/train's
 * Sgd (lr 0.1, momentum 0.9, weight decay 5e-4), on a fixed random batch.
 *
 *   npm run bench -- worker-slots [--model resnet32|resnet8] [--batch 128] [--seconds 20]
 *       [--threads <cores>] [--oversubscribed]
 *
 * Each configuration runs on its own: its processes (children of this script, `--child`) load the
 * backend, build the model and take 2 warm-up steps, then report ready and block on stdin. When all
 * are ready the parent sends them one start time; each sleeps until it (no process spin-waits on
 * another) and steps until --seconds have passed, then reports its steps and their elapsed time, and
 * keeps stepping (untimed) until the parent has every report and says stop, so every process's last
 * timed step runs under the same load as its first. Images/s per machine is the sum over the
 * processes of batch x steps / elapsed. OpenMP's idle threads sleep (OMP_WAIT_POLICY=passive, the
 * addon's default unless set). If the native addon is not built it prints "unavailable: <why>" and
 * exits 0. For stable timings set MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=17179869184
 * (otherwise glibc returns and re-faults the step's memory every step). Prints; asserts nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initRuntime, processAffinity } from '@ltlab/runtime';
import type { Sgd } from '@ltlab/train';
import * as tf from '@tensorflow/tfjs-core';
import { type BenchModel, backboneModel, benchSgd, trainerStep } from './lib/trainer-step.ts';

const cores = availableParallelism();
const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'resnet32' },
    batch: { type: 'string', default: '128' },
    seconds: { type: 'string', default: '20' },
    threads: { type: 'string', default: String(cores) },
    oversubscribed: { type: 'boolean', default: false },
    /** Internal: the native thread count of this child process. */
    child: { type: 'string' },
  },
});

const MODELS = {
  resnet32: { input: [32, 32, 3], numClasses: 10 },
  resnet8: { input: [28, 28, 1], numClasses: 10 },
} as const satisfies Record<string, { input: readonly [number, number, number]; numClasses: number }>;
type ModelName = keyof typeof MODELS;

function usage(message: string): never {
  console.error(`worker-slots: ${message}`);
  process.exit(2);
}
const modelName = args.model as string;
if (!(modelName in MODELS)) usage(`--model must be one of ${Object.keys(MODELS).join(', ')}, got '${modelName}'`);
const spec = MODELS[modelName as ModelName];
const batch = Number(args.batch);
if (!Number.isInteger(batch) || batch < 1) usage(`--batch must be a positive integer, got '${args.batch}'`);
const seconds = Number(args.seconds);
if (!Number.isFinite(seconds) || seconds <= 0) usage(`--seconds must be a positive number, got '${args.seconds}'`);
const machineThreads = Number(args.threads);
if (!Number.isInteger(machineThreads) || machineThreads < 1)
  usage(`--threads must be a positive integer, got '${args.threads}'`);

const WARMUP_STEPS = 2;
/** The parent's start time is this far ahead of "now", so that every child has the message before it. */
const START_LEAD_MS = 250;

/** Children talk to the parent in `<TAG> <json>` lines on stdout; everything else goes to stderr. */
interface Ready {
  pid: number;
  threads: number;
  affinity: number[];
  warmupMsPerStep: number;
  device: string;
}
interface Done {
  steps: number;
  elapsedMs: number;
  /** How late this child started timing after the common start time (ms). */
  startLagMs: number;
}
const send = (tag: 'READY' | 'DONE' | 'UNAVAILABLE' | 'FAILED', payload: unknown): void => {
  process.stdout.write(`${tag} ${JSON.stringify(payload)}\n`);
};

// ---------------------------------------------------------------------------------------------
// Child: one trainer-like process.

const buildModel = (): BenchModel => backboneModel(modelName, spec.input, spec.numClasses);
const trainStep = (model: BenchModel, sgd: Sgd, x: tf.Tensor4D, labels: tf.Tensor1D): void => {
  trainerStep(model, sgd, x, labels, spec.numClasses);
};

/** Lets stdin's lines in between two (synchronous) steps. */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function runChild(threads: number): Promise<void> {
  console.log = console.error;
  let startAt: (epochMs: number | undefined) => void = () => {};
  const started = new Promise<number | undefined>((resolve) => {
    startAt = resolve;
  });
  let stop = false;
  const stdin = createInterface({ input: process.stdin });
  stdin.on('line', (line) => {
    if (line.startsWith('START ')) startAt(Number(line.slice('START '.length)));
    else if (line === 'STOP') stop = true;
  });
  // The parent went away (or is done with us): stop.
  stdin.on('close', () => {
    stop = true;
    startAt(undefined);
  });

  try {
    const info = await initRuntime({ backend: 'native', nativeThreads: threads });
    if (info.backend !== 'native') throw new Error(`got backend ${info.backend}`);
  } catch (error) {
    send('UNAVAILABLE', { why: (error instanceof Error ? error.message : String(error)).slice(0, 300) });
    process.exit(0);
  }
  let affinity: number[] = [];
  try {
    affinity = processAffinity();
  } catch {
    // No taskset here: shown as unknown.
  }

  const model = buildModel();
  const sgd = benchSgd();
  const x = tf.randomUniform([batch, ...spec.input], -1, 1, 'float32', process.pid) as tf.Tensor4D;
  const labels = tf.tensor1d(
    Int32Array.from({ length: batch }, (_, i) => (i * 7919) % spec.numClasses),
    'int32',
  );
  const w0 = performance.now();
  for (let i = 0; i < WARMUP_STEPS; i++) trainStep(model, sgd, x, labels);
  const warmupMsPerStep = (performance.now() - w0) / WARMUP_STEPS;
  send('READY', {
    pid: process.pid,
    threads,
    affinity,
    warmupMsPerStep,
    device: tf.getBackend(),
  } satisfies Ready);

  const startEpoch = await started;
  if (startEpoch === undefined) process.exit(0);
  await sleep(Math.max(0, startEpoch - Date.now()));
  const startLagMs = Date.now() - startEpoch;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  let steps = 0;
  let t = t0;
  while (t < deadline && !stop) {
    trainStep(model, sgd, x, labels);
    steps += 1;
    t = performance.now();
    await yieldToEvents();
  }
  send('DONE', { steps, elapsedMs: t - t0, startLagMs } satisfies Done);
  // Keep the machine as loaded as it was until every process has finished its timed steps.
  while (!stop) {
    trainStep(model, sgd, x, labels);
    await yieldToEvents();
  }
  sgd.dispose();
  tf.dispose([x, labels]);
  model.dispose();
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Parent: runs the configurations one after another and prints the table.

/** The worker's pinning (packages/orchestrator/src/worker/trainer-process.ts). */
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((path) => existsSync(path));

interface Configuration {
  label: string;
  processes: number;
  threads: number;
  pinned: boolean;
}

interface ChildResult {
  core: number | undefined;
  ready: Ready;
  done: Done;
}

type Outcome =
  | { kind: 'ok'; children: ChildResult[] }
  | { kind: 'unavailable'; why: string }
  | { kind: 'failed'; why: string };

interface Tracked {
  process: ChildProcess;
  core: number | undefined;
  ready?: Ready;
  done?: Done;
  stderrTail: string[];
}

function spawnChild(threads: number, core: number | undefined): ChildProcess {
  const script = [...process.execArgv, fileURLToPath(import.meta.url), '--child', String(threads)];
  const passThrough = ['--model', modelName, '--batch', String(batch), '--seconds', String(seconds)];
  // As the worker's CPU slot: no GPU, the slot's thread count, pinned with `taskset -c <core>`.
  const env = {
    ...process.env,
    CUDA_VISIBLE_DEVICES: '',
    LTLAB_BACKEND: 'native',
    LTLAB_NATIVE_THREADS: String(threads),
  };
  const [file, argv] =
    core === undefined
      ? [process.execPath, [...script, ...passThrough]]
      : [TASKSET as string, ['-c', String(core), process.execPath, ...script, ...passThrough]];
  return spawn(file, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
}

async function runConfiguration(config: Configuration): Promise<Outcome> {
  const tracked: Tracked[] = [];
  let settle: (outcome: Outcome) => void = () => {};
  const settled = new Promise<Outcome>((resolve) => {
    settle = resolve;
  });
  let over = false;
  const finish = (outcome: Outcome): void => {
    if (over) return;
    over = true;
    settle(outcome);
  };
  const broadcast = (line: string): void => {
    for (const child of tracked) if (child.process.stdin?.writable) child.process.stdin.write(`${line}\n`);
  };

  for (let i = 0; i < config.processes; i++) {
    const core = config.pinned ? i % cores : undefined;
    const entry: Tracked = { process: spawnChild(config.threads, core), core, stderrTail: [] };
    tracked.push(entry);
    const who = core === undefined ? `process ${i}` : `process on core ${core}`;
    entry.process.stdin?.on('error', () => {});
    createInterface({ input: entry.process.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      entry.stderrTail.push(line);
      if (entry.stderrTail.length > 20) entry.stderrTail.shift();
    });
    createInterface({ input: entry.process.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const space = line.indexOf(' ');
      const tag = line.slice(0, space);
      if (!['READY', 'DONE', 'UNAVAILABLE', 'FAILED'].includes(tag)) return;
      const payload = JSON.parse(line.slice(space + 1)) as unknown;
      if (tag === 'UNAVAILABLE') finish({ kind: 'unavailable', why: (payload as { why: string }).why });
      else if (tag === 'FAILED') finish({ kind: 'failed', why: `${who}: ${(payload as { why: string }).why}` });
      else if (tag === 'READY') {
        entry.ready = payload as Ready;
        if (tracked.length === config.processes && tracked.every((c) => c.ready !== undefined))
          broadcast(`START ${Date.now() + START_LEAD_MS}`);
      } else {
        entry.done = payload as Done;
        if (tracked.every((c) => c.done !== undefined)) {
          broadcast('STOP');
          finish({
            kind: 'ok',
            children: tracked.map((c) => ({ core: c.core, ready: c.ready as Ready, done: c.done as Done })),
          });
        }
      }
    });
    entry.process.once('error', (error) => finish({ kind: 'failed', why: `${who}: spawn failed: ${error.message}` }));
    entry.process.once('exit', (code, signal) => {
      if (entry.done === undefined && !over) {
        const tail = entry.stderrTail.slice(-5).join('\n      ');
        finish({ kind: 'failed', why: `${who} exited with ${code ?? signal} before its report\n      ${tail}` });
      }
    });
  }

  const outcome = await settled;
  // Stop every child (they exit on STOP or when stdin closes); SIGTERM those that do not within 30 s.
  for (const child of tracked) child.process.stdin?.end();
  await Promise.all(
    tracked.map(async ({ process: child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const timer = setTimeout(() => child.kill('SIGTERM'), outcome.kind === 'ok' ? 30_000 : 0);
      await exited;
      clearTimeout(timer);
    }),
  );
  return outcome;
}

interface Measured {
  config: Configuration;
  imagesPerSecond: number;
  msPerStep: number[];
}

async function main(): Promise<void> {
  const n = machineThreads;
  const mallocTuned = process.env.MALLOC_MMAP_THRESHOLD_ !== undefined;
  const waitPolicy = process.env.OMP_WAIT_POLICY ?? "passive (the addon's default)";
  console.log(
    `worker-slots bench: native backend, ${modelName} batch ${batch} (${spec.input.join('x')}, ${spec.numClasses} classes), ` +
      `${seconds} s timed after ${WARMUP_STEPS} warm-up steps per process; N = ${n} on ${cores} cores; ` +
      `OMP_WAIT_POLICY=${waitPolicy}`,
  );
  if (!mallocTuned) console.log('  note: MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_ unset: timings will be noisier');
  if (TASKSET === undefined) console.log('  note: taskset not found: (a) runs unpinned, as the worker would here');
  if (n > cores) console.log(`  note: N = ${n} > ${cores} cores: (a) pins process i to core i mod ${cores}`);

  const configurations: Configuration[] = [
    { label: '(a) N procs x 1 thread, pinned', processes: n, threads: 1, pinned: TASKSET !== undefined },
    { label: '(b) 1 proc x N threads', processes: 1, threads: n, pinned: false },
    ...(args.oversubscribed
      ? [{ label: '(c) N procs x N threads, unpinned', processes: n, threads: n, pinned: false }]
      : []),
  ];
  const measured: Measured[] = [];
  const failures: Array<{ config: Configuration; why: string }> = [];
  for (const config of configurations) {
    console.log(`\n${config.label}: ${config.processes} x ${config.threads}`);
    const outcome = await runConfiguration(config);
    if (outcome.kind === 'unavailable') {
      console.log(`unavailable: ${outcome.why}`);
      process.exit(0);
    }
    if (outcome.kind === 'failed') {
      console.log(`  failed: ${outcome.why}`);
      failures.push({ config, why: outcome.why });
      continue;
    }
    let imagesPerSecond = 0;
    const msPerStep: number[] = [];
    for (const { core, ready, done } of outcome.children) {
      const rate = (batch * done.steps * 1000) / done.elapsedMs;
      const ms = done.elapsedMs / done.steps;
      imagesPerSecond += rate;
      msPerStep.push(ms);
      const where = core === undefined ? 'unpinned' : `core ${core}`;
      console.log(
        `  pid ${ready.pid} ${where.padEnd(8)} affinity ${ready.affinity.join(',') || '?'}, ${ready.threads}t: ` +
          `${done.steps} steps in ${(done.elapsedMs / 1000).toFixed(2)} s, ${ms.toFixed(0)} ms/step, ` +
          `${rate.toFixed(1)} images/s (warm-up ${ready.warmupMsPerStep.toFixed(0)} ms/step, started ${done.startLagMs} ms late)`,
      );
    }
    measured.push({ config, imagesPerSecond, msPerStep });
  }

  const a = measured.find((m) => m.config.label.startsWith('(a)'));
  const b = measured.find((m) => m.config.label.startsWith('(b)'));
  console.log(`\nResults (${modelName}, batch ${batch}, ${seconds} s; "vs (a)" = images/s per machine / (a)'s):`);
  console.log(
    `  ${'configuration'.padEnd(34)} ${'procs x threads'.padEnd(15)} ${'images/s per machine'.padStart(20)} ` +
      `${'ms/step per process'.padStart(20)} ${'vs (a)'.padStart(7)}`,
  );
  for (const m of measured) {
    const lo = Math.min(...m.msPerStep);
    const hi = Math.max(...m.msPerStep);
    const mean = m.msPerStep.reduce((s, v) => s + v, 0) / m.msPerStep.length;
    const ms = m.msPerStep.length > 1 ? `${mean.toFixed(0)} (${lo.toFixed(0)}-${hi.toFixed(0)})` : mean.toFixed(0);
    const ratio = a === undefined ? '' : `${(m.imagesPerSecond / a.imagesPerSecond).toFixed(2)}x`;
    console.log(
      `  ${m.config.label.padEnd(34)} ${`${m.config.processes} x ${m.config.threads}`.padEnd(15)} ` +
        `${m.imagesPerSecond.toFixed(1).padStart(20)} ${ms.padStart(20)} ${ratio.padStart(7)}`,
    );
  }
  for (const f of failures)
    console.log(`  ${f.config.label.padEnd(34)} ${`${f.config.processes} x ${f.config.threads}`.padEnd(15)} failed`);
  if (a !== undefined && b !== undefined) {
    const ratio = b.imagesPerSecond / a.imagesPerSecond;
    const faster =
      ratio > 1
        ? `1 process x ${n} threads trains ${((ratio - 1) * 100).toFixed(0)}% more images/s per machine`
        : `${n} pinned processes x 1 thread train ${((1 / ratio - 1) * 100).toFixed(0)}% more images/s per machine`;
    console.log(`\n(b)/(a) = ${ratio.toFixed(2)}: ${faster}.`);
  }
}

if (args.child === undefined) await main();
else {
  const threads = Number(args.child);
  try {
    await runChild(threads);
  } catch (error) {
    send('FAILED', { why: (error instanceof Error ? error.message : String(error)).slice(0, 300) });
    process.exit(1);
  }
}
