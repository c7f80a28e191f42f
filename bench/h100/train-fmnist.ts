/**
 * One epoch (by default) of a Fashion-MNIST-LT recipe through ltlab's own trainer, as `ltlab train`
 * runs it (initRuntime, then @ltlab/train's trainRun on the parsed config), printing images/s and
 * the test metrics. bench/h100/prepare.sh bundles it (with esbuild; only the `webgpu` package's
 * native binding stays outside) for the H100 device run, where Node and node_modules are absent.
 *
 *   node train-fmnist.mjs [--config configs/fashion-mnist-lt/small/ce.yaml] [--epochs 1]
 *       [--backend webgpu] [--batch N] [--img-max N] [--eval-per-class N] [--run-dir DIR] [--events FILE]
 *   node train-fmnist.mjs --adapter     # start the backend, print the adapter it trains on, exit
 *
 * --batch, --img-max (the long-tail cut's largest class) and --eval-per-class (test images per
 * class) shrink the run for a check on a software adapter; the recipe's values otherwise. The
 * Fashion-MNIST files come from LTLAB_FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist.
 * Exits 0 when the run finished, 1 when it failed (the reason on stderr).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { classificationConfigOf, deepMerge, loadConfigFile, parseRunConfig, type TrainerEvent } from '@ltlab/config';
import { backendChoiceSchema, initRuntime } from '@ltlab/runtime';
import { trainRun } from '@ltlab/train';

const { values: args } = parseArgs({
  options: {
    config: { type: 'string', default: 'configs/fashion-mnist-lt/small/ce.yaml' },
    epochs: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'webgpu' },
    batch: { type: 'string' },
    'img-max': { type: 'string' },
    'eval-per-class': { type: 'string' },
    'run-dir': { type: 'string', default: '/tmp/h100-train-run' },
    events: { type: 'string' },
    adapter: { type: 'boolean', default: false },
  },
});

const positiveInt = (flag: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${flag} must be an integer >= 1, got '${text}'`);
    process.exit(2);
  }
  return n;
};

async function main(): Promise<number> {
  const backend = backendChoiceSchema.parse(args.backend);
  const t0 = performance.now();
  const runtime = await initRuntime({ backend });
  console.log(`backend: ${runtime.backend} (${runtime.reason}); ${runtime.device}`);
  if (runtime.webgpu !== undefined) console.log(`adapter: ${JSON.stringify(runtime.webgpu.adapter)}`);
  if (args.adapter) return 0;

  const epochs = positiveInt('epochs', args.epochs) as number;
  const batch = positiveInt('batch', args.batch);
  const imgMax = positiveInt('img-max', args['img-max']);
  const evalPerClass = positiveInt('eval-per-class', args['eval-per-class']);
  const raw = await loadConfigFile(args.config);
  const override: Record<string, unknown> = {
    epochs,
    ...(batch === undefined ? {} : { batchSize: batch }),
    ...(imgMax === undefined ? {} : { data: { longTail: { imgMax } } }),
    ...(evalPerClass === undefined ? {} : { evaluation: { maxPerClass: evalPerClass } }),
  };
  // The schedule stays the recipe's: one epoch of fmnist-lt-small runs its first warm-up epoch (lr 0.05).
  const config = classificationConfigOf(
    parseRunConfig(deepMerge(raw, override), `${args.config} with ${JSON.stringify(override)}`),
  );

  const eventsFile = args.events === undefined ? undefined : resolve(args.events);
  if (eventsFile !== undefined) writeFileSync(eventsFile, '');
  const batchTimes: number[] = [];
  let started: Extract<TrainerEvent, { type: 'started' }> | undefined;
  const result = await trainRun({
    config,
    runId: config.name || 'run',
    runDir: resolve(args['run-dir']),
    onEvent: (event) => {
      if (eventsFile !== undefined) appendFileSync(eventsFile, `${JSON.stringify(event)}\n`);
      if (event.type === 'started') {
        started = event;
        console.log(
          `train: ${config.name}, ${config.backbone.name}, ${epochs} epoch(s) of ${event.stepsPerEpoch} steps at batch ${config.batchSize}, on ${event.backend}`,
        );
      } else if (event.type === 'epoch') {
        // Images/s after the first 5 steps, which compile the shader pipelines on webgpu.
        const skip = 5;
        const first = batchTimes[skip - 1];
        const last = batchTimes.at(-1);
        const steady =
          first !== undefined && last !== undefined && batchTimes.length > skip
            ? `; ${(((batchTimes.length - skip) * config.batchSize * 1000) / (last - first)).toFixed(0)} images/s over steps ${skip + 1}-${batchTimes.length}`
            : '';
        // Events count epochs from 1 where they say so (`epochBase: 1`), from 0 in older trainers.
        const epochBase = (event as { epochBase?: number }).epochBase ?? 0;
        const compile = started?.backend === 'webgpu' ? ', shader compilation included' : '';
        console.log(
          `epoch ${event.epoch - epochBase + 1}: train loss ${event.trainLoss.toFixed(4)}, ${event.seconds.toFixed(1)} s, ` +
            `${event.imagesPerSecond.toFixed(0)} images/s (all steps${compile})${steady}`,
        );
        batchTimes.length = 0;
      } else if (event.type === 'eval') {
        const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(2)}%`);
        const m = event.metrics;
        console.log(
          `test: top-1 ${pct(m.top1)}  top-5 ${pct(m.top5)}  many ${pct(m.many)}  medium ${pct(m.medium)}  few ${pct(m.few)}`,
        );
      } else if (event.type === 'failed') {
        console.error(`failed: ${event.error.code}: ${event.error.message}`);
      }
    },
    onBatch: () => {
      batchTimes.push(performance.now());
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `done: ${result.epochsRun} epoch(s), top-1 ${result.final === null ? '–' : `${(100 * result.final.top1).toFixed(2)}%`}, ` +
      `${seconds.toFixed(1)} s wall in all (backend start, data, ${started?.stepsPerEpoch ?? '?'} steps per epoch, evaluation, checkpoint)`,
  );
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`train-fmnist failed: ${error instanceof Error ? error.message : String(error)}`);
  const fix = (error as { fix?: unknown }).fix;
  if (typeof fix === 'string') console.error(`  fix: ${fix}`);
}
// Dawn's instance keeps the event loop alive: end here.
process.exit(code);
