/**
 * Training-step throughput of the models `ltlab train` builds, side by side with the same
 * architectures in PyTorch (bench/train-step.py, Debian's python3-torch) at the same thread counts,
 * and on webgpu beside PyTorch on CUDA in true fp32 (TF32 off) on the same GPU:
 *
 *   resnet32  CIFAR ResNet-32 (option-A shortcuts), @ltlab/backbones' registry, batch --batch, 32x32x3, 10 classes
 *   resnet8   CIFAR ResNet-8 at 28x28x1 (the Fashion-MNIST-LT recipes), batch --batch, 10 classes
 *   mlp2      3072 -> 512 -> 10 (@ltlab/runtime's reference MLP), batch --batch
 *   resnet50  torchvision ResNet-50 (v1.5), 224x224x3, batch 32, 1000 classes, one timed step after
 *             one warm-up (on webgpu and PyTorch CUDA: --steps steps); only with --resnet50, and only
 *             on native, webgpu and PyTorch (wasm with --resnet50-wasm)
 *
 * The ResNets come from `createBackbone` with a linear `fc` head, as TrainingModel builds them.
 * One step is what the trainer does: tf.variableGrads of the mean softmax cross-entropy, then
 * @ltlab/train's Sgd (lr 0.1, momentum 0.9, weight decay 5e-4); PyTorch runs torch.optim.SGD with
 * the same settings. A per-kernel profile (tf.profile) of one ResNet-32 step follows on the fastest
 * CPU backend that loads: native with its most threads, else wasm with its most threads; and on
 * webgpu when it runs (GPU time per kernel from timestamp queries, where the device has them).
 *
 *   npm run bench -- train-step [--steps 3] [--batch 128] [--native-threads 1,<cores>]
 *       [--wasm-threads 1,<cores>] [--cpu-resnet] [--resnet50] [--resnet50-wasm] [--no-profile]
 *       [--backends tensorflow,native,wasm,cpu,webgpu] [--python /usr/bin/python3] [--no-pytorch]
 *
 * --backends (alias --backend) picks the configurations; the default is every CPU one
 * (tensorflow,native,wasm,cpu), and `--backends webgpu` runs only webgpu and PyTorch on CUDA.
 * Each backend configuration (tensorflow, native per thread count, wasm per thread count, cpu,
 * webgpu) runs in its own child process: thread counts are fixed once a backend starts, and separate
 * processes keep one configuration's heap out of the next. A configuration that does not load
 * (tfjs-node not installed, `native` not built, no Vulkan adapter) is printed as "unavailable: <why>".
 * PyTorch runs on the CPU once per thread count of --native-threads and --wasm-threads when a CPU
 * configuration runs, and on CUDA when webgpu runs ("unavailable: <why>" without a CUDA device).
 * On webgpu every step reads its loss with `await data()` before the SGD update, as the trainer
 * does, and the timing ends with a read of the last updated parameter, so it includes the GPU's work;
 * webgpu and PyTorch CUDA take two untimed warm-up steps (shader compilation, cuDNN autotuning).
 * A software adapter (lavapipe) needs LTLAB_WEBGPU_ALLOW_SOFTWARE=1 and a small --batch. For stable timings set
 * MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=17179869184 (otherwise glibc returns
 * and re-faults the step's memory every step). Prints; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { backendChoiceSchema, type InitRuntimeOptions, initRuntime } from '@ltlab/runtime';
import { createMlp } from '@ltlab/runtime/testing';
import type { Sgd } from '@ltlab/train';
import * as tf from '@tensorflow/tfjs-core';
import { type BenchModel, backboneModel, benchSgd, trainerStep, trainerStepAsync } from './lib/trainer-step.ts';

const cores = availableParallelism();
const defaultThreads = cores > 1 ? `1,${cores}` : '1';
const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '3' },
    batch: { type: 'string', default: '128' },
    'cpu-resnet': { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    'wasm-threads': { type: 'string', default: defaultThreads },
    'native-threads': { type: 'string', default: defaultThreads },
    resnet50: { type: 'boolean', default: false },
    'resnet50-wasm': { type: 'boolean', default: false },
    backends: { type: 'string' },
    /** Alias of --backends. */
    backend: { type: 'string' },
    /** The Python with torch (bench/train-step.py); default LTLAB_BENCH_PYTHON, then /usr/bin/python3. */
    python: { type: 'string' },
    /** Leave PyTorch out (CPU and CUDA). */
    'no-pytorch': { type: 'boolean', default: false },
    /** Internal: `<backend>[:<threads>]`, run by the parent in a child process. */
    child: { type: 'string' },
    /** Internal: this child profiles one ResNet-32 step after its timings. */
    'child-profile': { type: 'boolean', default: false },
  },
});
const steps = Number(args.steps);
const batch = Number(args.batch);
const resnet50 = args.resnet50 || args['resnet50-wasm'];

function threadList(flag: 'wasm-threads' | 'native-threads'): number[] {
  const list = (args[flag] ?? '1').split(',').map(Number);
  if (list.length === 0 || list.some((t) => !Number.isInteger(t) || t < 1)) {
    console.error(`--${flag} must be a comma-separated list of thread counts >= 1, got '${args[flag]}'`);
    process.exit(2);
  }
  return [...new Set(list)].sort((a, b) => a - b);
}
const wasmThreads = threadList('wasm-threads');
const nativeThreads = threadList('native-threads');

const CPU_BACKENDS = ['tensorflow', 'native', 'wasm', 'cpu'] as const;
const ALL_BACKENDS = [...CPU_BACKENDS, 'webgpu'] as const;
type BenchBackend = (typeof ALL_BACKENDS)[number];
function backendList(): ReadonlySet<BenchBackend> {
  if (args.backends !== undefined && args.backend !== undefined && args.backends !== args.backend) {
    console.error('--backend is an alias of --backends: give one of them');
    process.exit(2);
  }
  const text = args.backends ?? args.backend ?? CPU_BACKENDS.join(',');
  const list = text.split(',').map((name) => name.trim());
  const unknown = list.filter((name) => !(ALL_BACKENDS as readonly string[]).includes(name));
  if (list.length === 0 || unknown.length > 0) {
    console.error(`--backends takes a comma-separated list of ${ALL_BACKENDS.join(', ')}; got '${text}'`);
    process.exit(2);
  }
  return new Set(list as BenchBackend[]);
}
const backends = backendList();
const PYTHON = args.python ?? process.env.LTLAB_BENCH_PYTHON ?? '/usr/bin/python3';

interface ModelSpec {
  name: string;
  /** `[height, width, channels]`. */
  input: readonly [number, number, number];
  numClasses: number;
  batch: number;
  /** Timed steps on the CPU backends and PyTorch on the CPU. */
  steps: number;
  /** Timed steps on webgpu and PyTorch CUDA. */
  gpuSteps: number;
  make: () => BenchModel;
}

/** A registered backbone as the trainer builds it, made when its turn comes. */
const backbone =
  (name: string, input: readonly [number, number, number], numClasses: number): (() => BenchModel) =>
  () =>
    backboneModel(name, input, numClasses);

function mlp(): BenchModel {
  const model = createMlp();
  return {
    params: model.params.map((variable, i) => [`mlp.${i}`, variable] as const),
    forward: (x) => model.forward(x),
    dispose: () => model.dispose(),
  };
}

const MODELS: ModelSpec[] = [
  {
    name: 'resnet32',
    input: [32, 32, 3],
    numClasses: 10,
    batch,
    steps,
    gpuSteps: steps,
    make: backbone('resnet32', [32, 32, 3], 10),
  },
  {
    name: 'resnet8',
    input: [28, 28, 1],
    numClasses: 10,
    batch,
    steps,
    gpuSteps: steps,
    make: backbone('resnet8', [28, 28, 1], 10),
  },
  { name: 'mlp2', input: [32, 32, 3], numClasses: 10, batch, steps, gpuSteps: steps, make: mlp },
  ...(resnet50
    ? [
        {
          name: 'resnet50',
          input: [224, 224, 3] as const,
          numClasses: 1000,
          batch: 32,
          steps: 1,
          gpuSteps: steps,
          make: backbone('resnet50', [224, 224, 3], 1000),
        },
      ]
    : []),
];

/**
 * Kernels that call other kernels through the engine: the wasm runtime's (the conv backprops,
 * FusedBatchNorm on per-channel statistics), `forward` (the name tf.profile gives a tf.customGrad op such as
 * batchNormTrain) and `<op>__op` (tfjs-core's customGrad wrappers of fused ops). On wasm,
 * Conv2DBackpropFilter's convolutions are direct XNNPACK calls on tensor blocks, not engine
 * kernels: they are in the gap between the leaf-kernel total and the wall time.
 */
const WASM_COMPOSITE = new Set(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'FusedBatchNorm']);
/** On native those three are single addon calls (leaves); only wasm composes them from other kernels. */
const isComposite = (name: string): boolean =>
  name === 'forward' || name.endsWith('__op') || (tf.getBackend() === 'wasm' && WASM_COMPOSITE.has(name));

interface Row {
  /** `native`, `wasm`, `cpu`, `tensorflow`, `webgpu`, `pytorch` (CPU) or `pytorch-cuda`. */
  backend: string;
  /** Threads of the configuration; undefined: all (tensorflow) or not applicable. */
  threads: number | undefined;
  model: string;
  msPerStep: number | undefined;
  note: string;
}

function randomBatch(spec: ModelSpec): { x: tf.Tensor4D; labels: tf.Tensor1D } {
  const x = tf.randomUniform([spec.batch, ...spec.input], -1, 1, 'float32', 1) as tf.Tensor4D;
  const labels = tf.tensor1d(
    Int32Array.from({ length: spec.batch }, (_, i) => (i * 7919) % spec.numClasses),
    'int32',
  );
  return { x, labels };
}

const trainStep = (spec: ModelSpec, model: BenchModel, sgd: Sgd, x: tf.Tensor4D, labels: tf.Tensor1D): number =>
  trainerStep(model, sgd, x, labels, spec.numClasses);

/** A GPU backend: no synchronous reads (webgpu in Node), so steps read their loss with `await data()`. */
const onGpu = (): boolean => tf.getBackend() === 'webgpu';

async function timeModel(spec: ModelSpec): Promise<number> {
  const model = spec.make();
  const { x, labels } = randomBatch(spec);
  const sgd = benchSgd();
  try {
    if (onGpu()) {
      const gpuStep = () => trainerStepAsync(model, sgd, x, labels, spec.numClasses);
      // Two warm-ups: the first compiles every shader pipeline, the second runs with them cached.
      await gpuStep();
      await gpuStep();
      await model.params.at(-1)?.[1].data();
      const t0 = performance.now();
      for (let i = 0; i < spec.gpuSteps; i++) await gpuStep();
      // The last update is still queued after its step's loss read: wait for it inside the timing.
      await model.params.at(-1)?.[1].data();
      const ms = (performance.now() - t0) / spec.gpuSteps;
      console.log(
        `  ${tf.getBackend()} ${spec.name}: ${ms.toFixed(1)} ms/step (${spec.gpuSteps} step${spec.gpuSteps === 1 ? '' : 's'})`,
      );
      return ms;
    }
    trainStep(spec, model, sgd, x, labels);
    const t0 = performance.now();
    for (let i = 0; i < spec.steps; i++) trainStep(spec, model, sgd, x, labels);
    // The last update may still be queued on an asynchronous backend: wait for it inside the timing.
    model.params.at(-1)?.[1].dataSync();
    const ms = (performance.now() - t0) / spec.steps;
    console.log(`  ${tf.getBackend()} ${spec.name}: ${ms.toFixed(0)} ms/step`);
    return ms;
  } finally {
    sgd.dispose();
    tf.dispose([x, labels]);
    model.dispose();
  }
}

async function profileResNet32(label: string): Promise<void> {
  const spec = MODELS[0] as ModelSpec;
  const model = spec.make();
  const { x, labels } = randomBatch(spec);
  const sgd = benchSgd();
  const gpu = onGpu();
  const step = async (): Promise<void> => {
    if (gpu) await trainerStepAsync(model, sgd, x, labels, spec.numClasses);
    else trainStep(spec, model, sgd, x, labels);
  };
  await step();
  if (gpu) {
    await step();
    await model.params.at(-1)?.[1].data();
  }
  // On webgpu tf.profile's kernel times are GPU times from timestamp queries (each kernel is then
  // submitted on its own); without the feature the backend reports 0 for every kernel.
  const timestamps =
    !gpu || (tf.backend() as unknown as { supportTimestampQuery?: boolean }).supportTimestampQuery === true;
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await step();
    if (gpu) await model.params.at(-1)?.[1].data();
  });
  const wall = performance.now() - t0;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  const kernels = info.kernels as unknown as Array<{ name: string; kernelTimeMs: number | { error: string } }>;
  for (const k of kernels) {
    const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    entry.calls += 1;
    byKernel.set(k.name, entry);
  }
  // tf.profile lists the kernels our compositions call as well as the compositions: shares are
  // of the leaf kernels' time (which sums to the step), compositions are shown apart.
  const leaves = [...byKernel.entries()].filter(([name]) => !isComposite(name));
  const leafTotal = leaves.reduce((sum, [, e]) => sum + e.ms, 0);
  console.log(
    `\nPer-kernel profile, ${label} ResNet-32, batch ${spec.batch}, one step (${wall.toFixed(0)} ms wall under tf.profile):`,
  );
  if (!timestamps) {
    console.log(
      '  the device has no timestamp-query feature: kernel times are not measured here, only the calls per kernel',
    );
    for (const [name, e] of leaves.sort((a, b) => b[1].calls - a[1].calls).slice(0, 16))
      console.log(`  ${name.padEnd(24)} ${String(e.calls).padStart(6)}`);
    sgd.dispose();
    tf.dispose([x, labels]);
    model.dispose();
    return;
  }
  if (gpu)
    console.log(
      "  (webgpu: GPU time of each kernel's shaders from timestamp queries, each kernel submitted on its own;\n" +
        '  the gap to the wall time is dispatch, submission and the loss read)',
    );
  console.log(`  kernel                    calls      ms   share of ${leafTotal.toFixed(0)} ms in leaf kernels`);
  for (const [name, e] of leaves.sort((a, b) => b[1].ms - a[1].ms).slice(0, 16)) {
    console.log(
      `  ${name.padEnd(24)} ${String(e.calls).padStart(6)} ${e.ms.toFixed(0).padStart(7)} ${((100 * e.ms) / leafTotal).toFixed(1).padStart(7)}%`,
    );
  }
  console.log(
    '  compositions (the kernels they call through the engine are counted above; on wasm the row-block\n' +
      '  convolutions of Conv2DBackpropFilter run outside the engine and are only in its row):',
  );
  for (const [name, e] of byKernel) {
    if (isComposite(name))
      console.log(`  ${name.padEnd(24)} ${String(e.calls).padStart(6)} ${e.ms.toFixed(0).padStart(7)}`);
  }
  sgd.dispose();
  tf.dispose([x, labels]);
  model.dispose();
}

/** Child processes and PyTorch report rows as `ROW <json>` lines on stdout, each as soon as it is measured. */
const ROW_PREFIX = 'ROW ';
const emit = (row: Row): void => {
  process.stdout.write(`${ROW_PREFIX}${JSON.stringify(row)}\n`);
};

function skipReason(choice: string, spec: ModelSpec): string | undefined {
  if (spec.name === 'resnet50') {
    if (choice === 'native' || choice === 'webgpu') return undefined;
    if (choice === 'wasm') return args['resnet50-wasm'] ? undefined : 'skipped (--resnet50-wasm)';
    return 'skipped (native, webgpu, PyTorch and --resnet50-wasm only)';
  }
  if (choice === 'cpu' && spec.name.startsWith('resnet') && !args['cpu-resnet'])
    return 'skipped (minutes per step; --cpu-resnet)';
  return undefined;
}

/** Child process: one backend configuration; progress on stderr, the rows on stdout. */
async function runConfiguration(spec: string): Promise<void> {
  const [choice = '', threadsText] = spec.split(':');
  const threads = threadsText === undefined ? undefined : Number(threadsText);
  const label = threads === undefined ? choice : `${choice} ${threads}t`;
  // Progress and the profile go to stderr (the parent's terminal); stdout carries only the rows.
  console.log = console.error;
  const unavailable = (message: string): void =>
    emit({ backend: choice, threads, model: '*', msPerStep: undefined, note: `unavailable: ${message.slice(0, 160)}` });
  const backend = backendChoiceSchema.parse(choice);
  const options: InitRuntimeOptions =
    threads === undefined
      ? { backend }
      : choice === 'native'
        ? { backend, nativeThreads: threads }
        : { backend, wasmThreads: threads };
  let info: Awaited<ReturnType<typeof initRuntime>>;
  try {
    info = await initRuntime(options);
  } catch (error) {
    unavailable(error instanceof Error ? error.message : String(error));
    return;
  }
  console.error(`${label}: ${info.backend}, ${info.device}`);
  if (choice === 'webgpu') emit({ backend: choice, threads, model: 'device', msPerStep: undefined, note: info.device });
  for (const model of MODELS) {
    const skipped = skipReason(choice, model);
    if (skipped !== undefined) {
      emit({ backend: choice, threads, model: model.name, msPerStep: undefined, note: skipped });
      continue;
    }
    try {
      emit({ backend: choice, threads, model: model.name, msPerStep: await timeModel(model), note: '' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      emit({
        backend: choice,
        threads,
        model: model.name,
        msPerStep: undefined,
        note: `failed: ${message.slice(0, 160)}`,
      });
    }
  }
  if (args['child-profile']) {
    try {
      await profileResNet32(label);
    } catch (error) {
      console.error(`profile failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function parseRows(stdout: string): Row[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(ROW_PREFIX))
    .map((line) => JSON.parse(line.slice(ROW_PREFIX.length)) as Row);
}

function runChild(spec: string, profile: boolean): Row[] {
  const passThrough = [
    '--steps',
    String(steps),
    '--batch',
    String(batch),
    '--wasm-threads',
    wasmThreads.join(','),
    '--native-threads',
    nativeThreads.join(','),
    '--backends',
    [...backends].join(','),
  ];
  for (const flag of ['cpu-resnet', 'no-profile', 'resnet50', 'resnet50-wasm'] as const)
    if (args[flag]) passThrough.push(`--${flag}`);
  if (profile) passThrough.push('--child-profile');
  const [choice = '', threadsText] = spec.split(':');
  const env = { ...process.env };
  if (choice === 'native' && threadsText !== undefined) env.LTLAB_NATIVE_THREADS = threadsText;
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', spec, ...passThrough],
    { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
  );
  const rows = parseRows(child.stdout ?? '');
  if (child.status !== 0) {
    // Rows measured before a crash (an out-of-memory abort, say) are kept.
    const threads = threadsText === undefined ? undefined : Number(threadsText);
    const note = `child exited with ${child.status ?? child.signal}${rows.length > 0 ? ' (after the rows above)' : ''}`;
    rows.push({ backend: choice, threads, model: '*', msPerStep: undefined, note });
  }
  return rows;
}

function pytorchVersion(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** What PyTorch CUDA ran on (the first line bench/train-step.py prints with --device cuda). */
let torchCudaDevice: string | undefined;

/** PyTorch on `threads` CPU threads, or on CUDA (its host side on one thread) with `cuda`. */
function pytorch(threads: number, cuda = false): Row[] {
  const backend = cuda ? 'pytorch-cuda' : 'pytorch';
  const script = fileURLToPath(new URL('./train-step.py', import.meta.url));
  const specs = MODELS.map((m) => {
    const mSteps = cuda ? m.gpuSteps : m.steps;
    return m.batch === batch && mSteps === steps ? m.name : `${m.name}:${m.batch}:${mSteps}`;
  });
  const run = spawnSync(
    PYTHON,
    [script, ...(cuda ? ['--device', 'cuda'] : []), String(threads), String(steps), String(batch), ...specs],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const rows: Row[] = [];
  const label = cuda ? 'pytorch cuda' : `pytorch ${threads}t`;
  for (const line of (run.stdout ?? '').split('\n')) {
    if (!line.startsWith('{')) continue;
    const r = JSON.parse(line) as {
      model?: string;
      ms_per_step?: number;
      error?: string;
      unavailable?: string;
      device?: string;
      cudnn_benchmark?: boolean;
      matmul_allow_tf32?: boolean;
      cudnn_allow_tf32?: boolean;
      matmul_fp32_precision?: string;
      conv_fp32_precision?: string;
      torch?: string;
      cuda?: string;
      cudnn?: number;
    };
    if (r.unavailable !== undefined) {
      rows.push({ backend, threads, model: '*', msPerStep: undefined, note: `unavailable: ${r.unavailable}` });
      continue;
    }
    if (r.model === undefined) {
      torchCudaDevice =
        `${r.device}, PyTorch ${r.torch} (CUDA ${r.cuda}, cuDNN ${r.cudnn}), fp32: ` +
        `cudnn.benchmark ${r.cudnn_benchmark}, matmul.allow_tf32 ${r.matmul_allow_tf32}, cudnn.allow_tf32 ${r.cudnn_allow_tf32}` +
        (r.matmul_fp32_precision === undefined
          ? ''
          : `, matmul.fp32_precision ${r.matmul_fp32_precision}, cudnn.conv.fp32_precision ${r.conv_fp32_precision}`);
      console.log(`  pytorch cuda: ${torchCudaDevice}`);
      continue;
    }
    rows.push({
      backend,
      threads,
      model: r.model,
      msPerStep: r.ms_per_step,
      note: r.error === undefined ? '' : `failed: ${r.error}`,
    });
    if (r.ms_per_step !== undefined)
      console.log(`  ${label} ${r.model}: ${r.ms_per_step.toFixed(cuda ? 1 : 0)} ms/step`);
  }
  if (run.status !== 0)
    rows.push({
      backend,
      threads,
      model: '*',
      msPerStep: undefined,
      note: `exited with ${run.status ?? run.signal}`,
    });
  return rows;
}

/** Threads of the PyTorch row a configuration compares with: its own count; cpu is one JS thread, tensorflow uses every core. */
function comparableThreads(row: Row): number {
  if (row.backend === 'cpu') return 1;
  return row.threads ?? cores;
}

async function main(): Promise<void> {
  const mallocTuned = process.env.MALLOC_MMAP_THRESHOLD_ !== undefined;
  const gpuNote = backends.has('webgpu') ? ' (2 on webgpu and PyTorch CUDA)' : '';
  console.log(
    `train-step bench: ${steps} timed steps after 1 warm-up${gpuNote}, resnet50: batch 32, 1 step on the CPUs` +
      `${backends.has('webgpu') ? `, ${steps} on GPUs` : ''}; softmax cross-entropy, SGD lr 0.1 momentum 0.9 wd 5e-4; ` +
      `backends ${[...backends].join(', ')}`,
  );
  if (!mallocTuned && backends.has('wasm'))
    console.log('  note: MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_ unset: wasm timings will be noisier');
  const rows: Row[] = [];
  if (backends.has('tensorflow')) rows.push(...runChild('tensorflow', false));
  const nativeMax = Math.max(...nativeThreads);
  if (backends.has('native'))
    for (const t of nativeThreads) rows.push(...runChild(`native:${t}`, !args['no-profile'] && t === nativeMax));
  const nativeLoaded = rows.some((r) => r.backend === 'native' && r.msPerStep !== undefined);
  const wasmMax = Math.max(...wasmThreads);
  if (backends.has('wasm'))
    for (const t of wasmThreads)
      rows.push(...runChild(`wasm:${t}`, !args['no-profile'] && !nativeLoaded && t === wasmMax));
  if (backends.has('cpu')) rows.push(...runChild('cpu', false));
  if (backends.has('webgpu')) rows.push(...runChild('webgpu', !args['no-profile']));
  const webgpuDevice = rows.find((r) => r.backend === 'webgpu' && r.model === 'device')?.note;

  const torchVersion = args['no-pytorch'] ? undefined : pytorchVersion();
  const torchThreads = [...new Set([...nativeThreads, ...wasmThreads])].sort((a, b) => a - b);
  const torchRows: Row[] = [];
  const cpuRuns = CPU_BACKENDS.some((b) => backends.has(b));
  if (args['no-pytorch']) {
    torchRows.push({
      backend: 'pytorch',
      threads: undefined,
      model: '*',
      msPerStep: undefined,
      note: 'skipped (--no-pytorch)',
    });
  } else if (torchVersion === undefined) {
    torchRows.push({
      backend: 'pytorch',
      threads: undefined,
      model: '*',
      msPerStep: undefined,
      note: `unavailable: ${PYTHON} cannot import torch (apt-get install -y python3-torch, or --python <a python with torch>)`,
    });
  } else {
    if (cpuRuns) for (const t of torchThreads) torchRows.push(...pytorch(t));
    if (backends.has('webgpu')) torchRows.push(...pytorch(1, true));
  }
  const torchMs = (model: string, threads: number): number | undefined =>
    torchRows.find((r) => r.backend === 'pytorch' && r.model === model && r.threads === threads)?.msPerStep;
  const torchCudaMs = (model: string): number | undefined =>
    torchRows.find((r) => r.backend === 'pytorch-cuda' && r.model === model)?.msPerStep;

  if (webgpuDevice !== undefined) console.log(`\nwebgpu device: ${webgpuDevice}`);
  if (torchCudaDevice !== undefined) console.log(`pytorch cuda device: ${torchCudaDevice}`);
  console.log(
    `\nResults (PyTorch ${torchVersion ?? 'absent'}; ratio = ours / PyTorch at the same thread count, > 1 is slower; ` +
      `cpu compares with 1 thread, tensorflow with all cores${backends.has('webgpu') ? ', webgpu with PyTorch CUDA fp32 (TF32 off)' : ''}):`,
  );
  console.log(
    `  ${'backend'.padEnd(12)} ${'model'.padEnd(9)} ${'batch x input'.padEnd(16)} ${'ms/step'.padStart(8)} ` +
      `${'images/s'.padStart(9)}  ratio to PyTorch (same threads)`,
  );
  const labelOf = (r: Row): string =>
    r.backend === 'pytorch-cuda' ? 'pytorch cuda' : r.threads === undefined ? r.backend : `${r.backend} ${r.threads}t`;
  const all = [...rows, ...torchRows];
  // Whole-configuration rows (unavailable, crashed) first, then each model's rows together.
  for (const r of all.filter((row) => row.model === '*'))
    console.log(`  ${labelOf(r).padEnd(12)} ${'*'.padEnd(9)} ${r.note}`);
  for (const spec of MODELS) {
    const shape = `${spec.batch}x${spec.input.join('x')}`;
    for (const r of all.filter((row) => row.model === spec.name)) {
      const ms = r.msPerStep;
      if (ms === undefined) {
        console.log(`  ${labelOf(r).padEnd(12)} ${spec.name.padEnd(9)} ${shape.padEnd(16)} ${r.note}`);
        continue;
      }
      const ref =
        r.backend === 'pytorch' || r.backend === 'pytorch-cuda'
          ? undefined
          : r.backend === 'webgpu'
            ? torchCudaMs(spec.name)
            : torchMs(spec.name, comparableThreads(r));
      const ratio = ref === undefined ? '' : `${(ms / ref).toFixed(2)}x`;
      const gpuRow = r.backend === 'webgpu' || r.backend === 'pytorch-cuda';
      const msText = gpuRow && ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
      console.log(
        `  ${labelOf(r).padEnd(12)} ${spec.name.padEnd(9)} ${shape.padEnd(16)} ${msText.padStart(8)} ` +
          `${((spec.batch * 1000) / ms).toFixed(1).padStart(9)}  ${ratio}`,
      );
    }
  }
}

if (args.child === undefined) await main();
else {
  await runConfiguration(args.child);
  // Dawn's instance keeps a webgpu child's event loop alive; the rows are written (stdout is a pipe,
  // written synchronously on Linux), so end here.
  process.exit(0);
}
