/**
 * Training throughput of the Fashion-MNIST-LT recipes: images/s of the engine's training loop
 * (data, augmentation, forward, backward, SGD) per recipe and backend, measured over one epoch
 * of fmnist-lt-small after a warm-up batch. Evaluation is cut to one image per class.
 * Usage: npm run bench -- train-throughput [--backends wasm,cpu] [--recipes ce,paco,...]
 * For stable timings: MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=17179869184
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfigFile, parseRunConfig } from '@ltlab/config';
import { type BackendChoice, initRuntime } from '@ltlab/runtime';
import { trainRun } from '@ltlab/train';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm' },
    recipes: { type: 'string', default: 'ce,balanced-softmax,ldam-drw,paco,reslt' },
    batches: { type: 'string', default: '8' },
  },
});
const recipesDir = fileURLToPath(new URL('../configs/fashion-mnist-lt/small', import.meta.url));
const batches = Number(values.batches);

console.log(`bench/train-throughput: fmnist-lt-small recipes, ${batches} timed batches of 128 after 1 warm-up batch`);
console.log('backend  recipe              images/s  ms/batch');
for (const backend of (values.backends as string).split(',') as BackendChoice[]) {
  const runtime = await initRuntime({ backend });
  for (const recipe of (values.recipes as string).split(',')) {
    const raw = await loadConfigFile(join(recipesDir, `${recipe}.yaml`));
    const config = parseRunConfig({ ...raw, epochs: 1, evaluation: { maxPerClass: 1, batchSize: 10 } });
    const dir = mkdtempSync(join(tmpdir(), 'ltlab-throughput-'));
    const stamps: number[] = [];
    const controller = new AbortController();
    try {
      await trainRun({
        config,
        runId: recipe,
        runDir: dir,
        signal: controller.signal,
        onBatch: ({ batch }) => {
          stamps.push(performance.now());
          if (batch > batches) controller.abort();
        },
      });
    } catch (error) {
      if ((error as { code?: string }).code !== 'TRAIN.INTERRUPTED') throw error;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const timed = stamps.slice(0, batches + 1);
    const seconds = ((timed.at(-1) as number) - (timed[0] as number)) / 1000;
    const perBatch = seconds / (timed.length - 1);
    console.log(
      `${runtime.backend.padEnd(8)} ${recipe.padEnd(18)} ${(config.batchSize / perBatch).toFixed(0).padStart(9)} ${(perBatch * 1000).toFixed(0).padStart(9)}`,
    );
  }
}
