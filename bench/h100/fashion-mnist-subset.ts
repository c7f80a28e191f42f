/**
 * The Fashion-MNIST files the H100 device run carries (bench/h100/prepare.sh): Debian's four IDX
 * files are 30 MB gzipped, too much beside Node and Dawn under the device tool's 64 MiB. A
 * fmnist-lt-small run reads only its long-tailed training subset (2,478 of the 60,000 training
 * images) and the whole 10,000-image test set, so this writes
 *
 *   train-images-idx3-ubyte.gz  all 60,000 rows, every row the recipes do not pick zeroed (zeros
 *                               compress to almost nothing), so the file keeps its dimensions
 *   train-labels-idx1-ubyte.gz  copied: the subset is picked from the labels and the seed alone
 *   t10k-*-idx?-ubyte.gz        copied
 *
 * With LTLAB_FASHION_MNIST_DIR pointing at the output, ltlab picks the same rows in the same order
 * and reads the same pixels as from /usr/share/datasets/fashion-mnist: this is checked here for
 * every given recipe, by building each recipe's training data from both directories and comparing
 * rows, labels and pixels (and the test sets) byte for byte. The small recipes all cut the same
 * subset (imgMax 1000, imbalance 100, seed 0); a smaller imgMax (the dry run's) picks a prefix of
 * each class's shuffled list, so a subset of these rows.
 *
 *   npx tsx --conditions=@ltlab/source bench/h100/fashion-mnist-subset.ts --out DIR [config.yaml ...]
 */
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type ClassificationRunConfig, classificationConfigOf, loadConfigFile, parseRunConfig } from '@ltlab/config';
import { FASHION_MNIST_DEFAULT_DIR, type PixelRef, readIdxFile } from '@ltlab/datasets';
import { buildTrainingData } from '@ltlab/train';

const { values: args, positionals } = parseArgs({
  options: { out: { type: 'string' }, source: { type: 'string', default: FASHION_MNIST_DEFAULT_DIR } },
  allowPositionals: true,
});
if (args.out === undefined) {
  console.error('usage: fashion-mnist-subset.ts --out DIR [--source DIR] [config.yaml ...]');
  process.exit(2);
}
const out = resolve(args.out);
const source = resolve(args.source);
const configFiles = positionals.length > 0 ? positionals : ['configs/fashion-mnist-lt/small/ce.yaml'];

async function recipe(file: string): Promise<ClassificationRunConfig> {
  const config = classificationConfigOf(parseRunConfig(await loadConfigFile(file), file), file);
  if (config.data.source !== 'fashion-mnist' || config.data.root !== undefined)
    throw new Error(`${file}: not a Fashion-MNIST recipe on the default location (data.source, data.root)`);
  return config;
}

/** Training rows (of the full 60,000) and the pixels and labels a recipe trains on, from `dir`. */
function trainingData(config: ClassificationRunConfig, dir: string) {
  process.env.LTLAB_FASHION_MNIST_DIR = dir;
  const data = buildTrainingData(config.data);
  const train = data.train.imageRef as PixelRef;
  const test = data.test.imageRef as PixelRef;
  if (train.kind !== 'pixels' || test.kind !== 'pixels') throw new Error('Fashion-MNIST is not a pixel source');
  return { rows: train.rows, labels: data.train.labels, train, test, testLabels: data.test.labels };
}

const configs = await Promise.all(configFiles.map(recipe));
const picked = new Set<number>();
for (const config of configs) for (const row of trainingData(config, source).rows) picked.add(row);

mkdirSync(out, { recursive: true });
const images = readIdxFile(join(source, 'train-images-idx3-ubyte.gz'));
const [count = 0, height = 0, width = 0] = images.dims;
const rowBytes = height * width;
const header = Buffer.alloc(16);
header.writeUInt32BE(0x00000803, 0);
images.dims.forEach((dim, k) => {
  header.writeUInt32BE(dim, 4 + 4 * k);
});
const pixels = new Uint8Array(count * rowBytes);
for (const row of picked) pixels.set(images.data.subarray(row * rowBytes, (row + 1) * rowBytes), row * rowBytes);
writeFileSync(join(out, 'train-images-idx3-ubyte.gz'), gzipSync(Buffer.concat([header, pixels]), { level: 9 }));
for (const file of ['train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'])
  copyFileSync(join(source, file), join(out, file));

// The check: every recipe gets the same rows, labels and pixels from the reduced files.
function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
for (const [i, config] of configs.entries()) {
  const full = trainingData(config, source);
  const reduced = trainingData(config, out);
  const rowsEqual = same(full.rows, reduced.rows);
  const labelsEqual = same(full.labels, reduced.labels);
  let pixelsEqual = rowsEqual;
  for (let k = 0; pixelsEqual && k < full.rows.length; k++) {
    const r = full.rows[k] as number;
    const a = full.train.pixels.subarray(r * rowBytes, (r + 1) * rowBytes);
    const b = reduced.train.pixels.subarray(r * rowBytes, (r + 1) * rowBytes);
    pixelsEqual = same(a, b);
  }
  const testEqual = same(full.test.pixels, reduced.test.pixels) && same(full.testLabels, reduced.testLabels);
  if (!(rowsEqual && labelsEqual && pixelsEqual && testEqual))
    throw new Error(
      `${configFiles[i]}: the reduced files give different training data (rows ${rowsEqual}, labels ${labelsEqual}, pixels ${pixelsEqual}, test ${testEqual})`,
    );
  console.log(
    `  ${configFiles[i]}: ${full.rows.length} training images and ${full.testLabels.length} test images, identical from ${out}`,
  );
}
const size = (file: string): number => statSync(join(out, file)).size;
const total = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
]
  .map(size)
  .reduce((a, b) => a + b, 0);
console.log(
  `  ${picked.size} of ${count} training rows kept (the others zeroed); ${(total / 2 ** 20).toFixed(1)} MiB in ${out}` +
    ` (the Debian files: ${(readFileSync(join(source, 'train-images-idx3-ubyte.gz')).length / 2 ** 20).toFixed(1)} MiB of training images alone)`,
);
