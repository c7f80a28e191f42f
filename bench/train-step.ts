/**
 * Training-step throughput: ResNet-32 (batch 128, 32x32x3), ResNet-8 and a 2-layer MLP on every
 * TF.js backend that loads here (wasm once per thread count), SGD with momentum, plus the same
 * models in PyTorch when Debian's python3-torch is installed, and a per-kernel profile of one
 * wasm ResNet-32 step (with the most threads).
 *
 *   npx tsx --conditions=@ltlab/source bench/train-step.ts [--steps 3] [--batch 128]
 *       [--wasm-threads 1,2] [--cpu-resnet] [--no-profile]
 *
 * Each backend configuration runs in its own child process: the wasm thread count is fixed
 * once wasm starts, and separate processes keep one configuration's heap out of the next.
 * For stable timings set MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=17179869184
 * (otherwise glibc returns and re-faults the step's memory every step). Prints; asserts nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type BackendChoice,
  createCifarResNet,
  createMlp,
  initRuntime,
  type ReferenceModel,
  randomBatch,
  softmaxCrossEntropy,
} from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '3' },
    batch: { type: 'string', default: '128' },
    'cpu-resnet': { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    'wasm-threads': { type: 'string', default: availableParallelism() > 1 ? `1,${availableParallelism()}` : '1' },
    /** Internal: `<backend>[:<threads>]`, run by the parent in a child process. */
    child: { type: 'string' },
  },
});
const steps = Number(args.steps);
const batch = Number(args.batch);
const wasmThreads = (args['wasm-threads'] ?? '1').split(',').map(Number);
if (wasmThreads.some((t) => !Number.isInteger(t) || t < 1)) {
  console.error(`--wasm-threads must be a comma-separated list of thread counts >= 1, got '${args['wasm-threads']}'`);
  process.exit(2);
}

/** `wasmOnly`: the same ResNet-32 with batch norm through tf.moments + autodiff, for contrast. */
const MODELS: Array<{ name: string; make: () => ReferenceModel; wasmOnly?: boolean }> = [
  { name: 'resnet32', make: () => createCifarResNet(32) },
  { name: 'resnet32-moments', make: () => createCifarResNet(32, { batchNorm: 'moments' }), wasmOnly: true },
  { name: 'resnet8', make: () => createCifarResNet(8) },
  { name: 'mlp2', make: () => createMlp() },
];

/**
 * Kernels that call other kernels through the engine: ours (the conv backprops, FusedBatchNorm
 * on per-channel statistics), `forward` (the name tf.profile gives a tf.customGrad op such as
 * batchNormTrain) and `<op>__op` (tfjs-core's customGrad wrappers of fused ops). Conv2DBackpropFilter's
 * convolutions are direct XNNPACK calls on tensor blocks, not engine kernels: they are in the gap
 * between the leaf-kernel total and the wall time.
 */
const COMPOSITE = new Set(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'FusedBatchNorm', 'forward']);
const isComposite = (name: string): boolean => COMPOSITE.has(name) || name.endsWith('__op');

interface Row {
  backend: string;
  model: string;
  msPerStep: number | undefined;
  note: string;
}

function trainStep(model: ReferenceModel, optimizer: tf.Optimizer, x: tf.Tensor, labels: tf.Tensor1D): number {
  const cost = optimizer.minimize(() => softmaxCrossEntropy(model.forward(x), labels, model.numClasses), true);
  const value = (cost as tf.Scalar).dataSync()[0] as number;
  cost?.dispose();
  return value;
}

function timeModel(name: string, make: () => ReferenceModel): number {
  const model = make();
  const { x, labels } = randomBatch(model, batch, 1);
  const optimizer = tf.train.momentum(0.1, 0.9);
  trainStep(model, optimizer, x, labels);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) trainStep(model, optimizer, x, labels);
  const ms = (performance.now() - t0) / steps;
  optimizer.dispose();
  tf.dispose([x, labels]);
  model.dispose();
  console.log(`  ${tf.getBackend()} ${name}: ${ms.toFixed(0)} ms/step`);
  return ms;
}

async function profileWasmResNet32(): Promise<void> {
  const model = createCifarResNet(32);
  const { x, labels } = randomBatch(model, batch, 1);
  const optimizer = tf.train.momentum(0.1, 0.9);
  trainStep(model, optimizer, x, labels);
  const t0 = performance.now();
  const info = await tf.profile(() => {
    trainStep(model, optimizer, x, labels);
  });
  const wall = performance.now() - t0;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  const kernels = info.kernels as unknown as Array<{ name: string; kernelTimeMs: number }>;
  for (const k of kernels) {
    const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += k.kernelTimeMs;
    entry.calls += 1;
    byKernel.set(k.name, entry);
  }
  // tf.profile lists the kernels our compositions call as well as the compositions: shares are
  // of the leaf kernels' time (which sums to the step), compositions are shown apart.
  const leaves = [...byKernel.entries()].filter(([name]) => !isComposite(name));
  const leafTotal = leaves.reduce((sum, [, e]) => sum + e.ms, 0);
  console.log(
    `\nPer-kernel profile, wasm ResNet-32, batch ${batch}, one step (${wall.toFixed(0)} ms wall under tf.profile):`,
  );
  console.log(`  kernel                    calls      ms   share of ${leafTotal.toFixed(0)} ms in leaf kernels`);
  for (const [name, e] of leaves.sort((a, b) => b[1].ms - a[1].ms).slice(0, 16)) {
    console.log(
      `  ${name.padEnd(24)} ${String(e.calls).padStart(6)} ${e.ms.toFixed(0).padStart(7)} ${((100 * e.ms) / leafTotal).toFixed(1).padStart(7)}%`,
    );
  }
  console.log(
    '  compositions (the kernels they call through the engine are counted above; the row-block convolutions of\n' +
      '  Conv2DBackpropFilter run outside the engine and are only in its row):',
  );
  for (const [name, e] of byKernel) {
    if (isComposite(name))
      console.log(`  ${name.padEnd(24)} ${String(e.calls).padStart(6)} ${e.ms.toFixed(0).padStart(7)}`);
  }
  optimizer.dispose();
  tf.dispose([x, labels]);
  model.dispose();
}

function pytorch(threads: number): Map<string, number> | string {
  const python = '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'python3-torch not installed (apt-get install -y python3-torch)';
  const script = fileURLToPath(new URL('./train-step.py', import.meta.url));
  const out = execFileSync(
    python,
    [
      script,
      String(threads),
      String(steps),
      String(batch),
      ...MODELS.filter((m) => m.wasmOnly !== true).map((m) => m.name),
    ],
    {
      encoding: 'utf8',
    },
  );
  const result = new Map<string, number>();
  for (const line of out.trim().split('\n')) {
    const row = JSON.parse(line) as { model: string; ms_per_step: number };
    result.set(row.model, row.ms_per_step);
  }
  console.log(`  PyTorch ${probe.stdout.trim()} (${threads} thread${threads > 1 ? 's' : ''}) done`);
  return result;
}

/** Child process: one backend configuration; progress on stderr, the rows as JSON on stdout. */
async function runConfiguration(spec: string): Promise<void> {
  const [choice, threadsText] = spec.split(':') as [BackendChoice, string | undefined];
  const threads = threadsText === undefined ? undefined : Number(threadsText);
  const label = threads === undefined ? choice : `${choice} ${threads}t`;
  const rows: Row[] = [];
  // Progress and the profile go to stderr (the parent's terminal); stdout carries only the rows.
  console.log = console.error;
  let info: Awaited<ReturnType<typeof initRuntime>>;
  try {
    info = await initRuntime({ backend: choice, ...(threads === undefined ? {} : { wasmThreads: threads }) });
  } catch (error) {
    rows.push({ backend: label, model: '*', msPerStep: undefined, note: (error as Error).message.slice(0, 100) });
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  console.error(`${label}: ${info.device}`);
  for (const { name, make, wasmOnly } of MODELS) {
    if (wasmOnly === true && choice !== 'wasm') continue;
    if (choice === 'cpu' && name.startsWith('resnet') && !args['cpu-resnet']) {
      rows.push({
        backend: label,
        model: name,
        msPerStep: undefined,
        note: 'skipped (minutes per step; --cpu-resnet)',
      });
      continue;
    }
    rows.push({ backend: label, model: name, msPerStep: timeModel(name, make), note: '' });
  }
  if (choice === 'wasm' && threads === Math.max(...wasmThreads) && !args['no-profile']) await profileWasmResNet32();
  process.stdout.write(`${JSON.stringify(rows)}\n`);
}

function runChild(spec: string): Row[] {
  const passThrough = ['--steps', String(steps), '--batch', String(batch), '--wasm-threads', wasmThreads.join(',')];
  if (args['cpu-resnet']) passThrough.push('--cpu-resnet');
  if (args['no-profile']) passThrough.push('--no-profile');
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', spec, ...passThrough],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const last = child.stdout.trim().split('\n').at(-1);
  if (child.status !== 0 || last === undefined || last === '') {
    return [
      { backend: spec, model: '*', msPerStep: undefined, note: `child exited with ${child.status ?? child.signal}` },
    ];
  }
  return JSON.parse(last) as Row[];
}

async function main(): Promise<void> {
  const mallocTuned = process.env.MALLOC_MMAP_THRESHOLD_ !== undefined;
  console.log(`train-step bench: batch ${batch}, ${steps} timed steps after 1 warm-up, SGD momentum 0.9`);
  if (!mallocTuned)
    console.log('  note: MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_ unset: wasm timings will be noisier');
  const rows: Row[] = [];
  for (const spec of ['tensorflow', ...wasmThreads.map((t) => `wasm:${t}`), 'cpu']) rows.push(...runChild(spec));
  const torch2 = pytorch(2);
  const torch1 = typeof torch2 === 'string' ? torch2 : pytorch(1);
  console.log(`\nResults (batch ${batch}; ratio = ours / PyTorch with 2 threads):`);
  console.log('  backend     model              ms/step   images/s   ratio');
  for (const r of rows) {
    const ref = typeof torch2 === 'string' ? undefined : torch2.get(r.model.replace(/-moments$/, ''));
    const ms = r.msPerStep;
    const cells =
      ms === undefined
        ? r.note
        : `${ms.toFixed(0).padStart(8)} ${((batch * 1000) / ms).toFixed(1).padStart(10)} ${ref === undefined ? '' : `${(ms / ref).toFixed(1)}x`.padStart(7)}`;
    console.log(`  ${r.backend.padEnd(11)} ${r.model.padEnd(17)} ${cells}`);
  }
  for (const [label, result] of [
    ['pytorch-2t', torch2],
    ['pytorch-1t', torch1],
  ] as const) {
    if (typeof result === 'string') {
      console.log(`  ${label.padEnd(11)} ${result}`);
      continue;
    }
    for (const [model, ms] of result) {
      console.log(
        `  ${label.padEnd(11)} ${model.padEnd(9)} ${ms.toFixed(0).padStart(8)} ${((batch * 1000) / ms).toFixed(1).padStart(10)}`,
      );
    }
  }
}

if (args.child === undefined) await main();
else await runConfiguration(args.child);
