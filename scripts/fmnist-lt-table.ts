/**
 * Writes the results table of a Fashion-MNIST-LT table sweep (configs/sweeps/fmnist-lt-small-table.yaml
 * or fmnist-lt-table.yaml) into configs/fashion-mnist-lt/README.md, between the `results:<profile>`
 * markers, from the store the sweep was recorded in: for each recipe the mean ± standard deviation
 * over its seeds of the last test evaluation's top-1 and many / medium / few accuracy, the runs'
 * wall time and training backend, and the sweep's id and wall time.
 * Usage: npm run fmnist-lt-table -- --sweep <id> [--profile small|full]
 * (the profile defaults to the sweep's name: fmnist-lt-small-table-... is small).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { meanStd, readSweepResults, variantsOf, writeBetweenMarkers } from './lib/sweep-results.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { sweep: { type: 'string' }, profile: { type: 'string' } } });
const sweepId = values.sweep;
if (sweepId === undefined) {
  console.error('usage: npm run fmnist-lt-table -- --sweep <id> [--profile small|full]');
  process.exit(2);
}
const profile = values.profile ?? (sweepId.startsWith('fmnist-lt-small-') ? 'small' : 'full');
if (profile !== 'small' && profile !== 'full') {
  console.error(`--profile must be small or full, not ${profile}`);
  process.exit(2);
}

const { runs, sweepSeconds } = await readSweepResults(sweepId);
const rows = variantsOf(runs).map((variant) => {
  const of = runs.filter((run) => run.variant === variant);
  const minutes = of.reduce((sum, run) => sum + run.seconds / 60, 0) / of.length;
  const backends = [...new Set(of.map((run) => run.backend))].join(', ');
  return [
    `[${variant}](${profile}/${variant}.yaml)`,
    of.map((run) => run.seed).join(', '),
    meanStd(of.map((run) => run.test.top1)),
    meanStd(of.map((run) => run.test.many)),
    meanStd(of.map((run) => run.test.medium)),
    meanStd(of.map((run) => run.test.few)),
    `${minutes.toFixed(1)} min`,
    backends,
  ];
});
const table = [
  '| method | seeds | top-1 % | many % | medium % | few % | wall time per run | backend |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((cells) => `| ${cells.join(' | ')} |`),
].join('\n');
const stamp =
  `Measured ${new Date().toISOString().slice(0, 10)}: sweep \`${sweepId}\` through the queue (two worker slots, ` +
  `one pinned core each), ${runs.length} runs, ${(sweepSeconds / 60).toFixed(1)} minutes from submission to the ` +
  'last run; last test evaluation (epoch 30) of each run, mean ± standard deviation over the seeds.';
writeBetweenMarkers(join(root, 'configs/fashion-mnist-lt/README.md'), profile, `${stamp}\n\n${table}`);
console.log(`${stamp}\n\n${table}`);
