import { availableParallelism } from 'node:os';
import { BatchLoader, fashionMnist, longTailSubset, pacoCifarViews } from '@ltlab/datasets';
import { createSampler } from '@ltlab/samplers';

// Loader throughput: Fashion-MNIST-LT (rho 100) batches with the PaCo two-view pipeline (query:
// crop + flip + AutoAugment + Cutout; key: resized crop + jitter + grayscale + blur), drawn by the
// class-balanced sampler. Prints images/s (one image = both views) per worker count.
// Usage: npx tsx --conditions=@ltlab/source bench/loader.ts [--batches 40] [--batch-size 128] [--workers 0,1,2]
function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

const batches = Number(arg('batches', '40'));
const batchSize = Number(arg('batch-size', '128'));
const cores = availableParallelism();
const workerCounts = arg('workers', [0, 1, Math.max(2, cores - 1)].join(','))
  .split(',')
  .map(Number);

const loadStart = performance.now();
const { train } = fashionMnist();
const source = longTailSubset(train, { imbalanceFactor: 100, seed: 0 });
console.log(
  `Fashion-MNIST-LT rho 100: ${source.size} images (${Array.from(source.classCounts).join(' ')}), ` +
    `loaded in ${((performance.now() - loadStart) / 1000).toFixed(2)} s; ${cores} CPU cores`,
);
const sampler = createSampler(
  { name: 'class-balanced', seed: 0, numSamples: batches * batchSize },
  { labels: source.labels },
);
const transform = pacoCifarViews({ size: 28, normalize: { preset: 'fashion-mnist' } });

for (const workers of workerCounts) {
  const loader = new BatchLoader(source, { sampler, transform, batchSize, workers, seed: 0 });
  // Warm-up epoch start: worker start-up (and tsx compilation from sources) is not counted.
  const warm = loader.epoch(0);
  await warm.next();
  await warm.return(undefined);
  const started = performance.now();
  let images = 0;
  for await (const batch of loader.epoch(1)) images += batch.indices.length;
  const seconds = (performance.now() - started) / 1000;
  await loader.close();
  console.log(
    `workers ${String(workers).padStart(2)}: ${images} images in ${seconds.toFixed(2)} s = ` +
      `${(images / seconds).toFixed(0)} images/s (2 views of 28x28x1, batch ${batchSize})`,
  );
}
