/**
 * Writes the table of a Fashion-MNIST-Seg-LT sweep (configs/sweeps/fmnist-seg-lt-ce-vs-rr.yaml)
 * into configs/segmentation/README.md, between the `results:fmnist-seg-lt` markers, from the store
 * the sweep was recorded in (LTLAB_HOME or DATABASE_URL, as for `ltlab`): for each variant the
 * mean ± standard deviation over its seeds of the last test evaluation's mIoU, head / body / tail
 * IoU and pixel accuracy, the runs' wall time, and the per-class IoU against the training image
 * counts.
 * Usage: npx tsx --conditions=@ltlab/source scripts/seg-lt-table.ts --sweep <id>
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FASHION_MNIST_SEG_LT_CLASSES } from '@ltlab/datasets';
import { parseSegmentationEvaluation } from '@ltlab/metrics';
import { meanStd, readSweepResults, variantsOf, writeBetweenMarkers } from './lib/sweep-results.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { sweep: { type: 'string' } } });
const sweepId = values.sweep;
if (sweepId === undefined) {
  console.error('usage: scripts/seg-lt-table.ts --sweep <id>');
  process.exit(2);
}

const { runs, sweepSeconds } = await readSweepResults(sweepId);
const results = runs.map((run) => {
  if (run.test.segmentation === undefined) throw new Error(`run ${run.id} has no segmentation evaluation`);
  return { ...run, scores: parseSegmentationEvaluation(run.test.segmentation, `run ${run.id}'s last test evaluation`) };
});

const variants = variantsOf(results);
const rows = variants.map((variant) => {
  const of = results.filter((r) => r.variant === variant);
  const groups = of.map((r) => r.scores.frequencyGroups);
  const minutes = of.map((r) => r.seconds / 60);
  return `| ${variant} | ${of.map((r) => r.seed).join(', ')} | ${meanStd(of.map((r) => r.scores.mIoU))} | ${meanStd(groups.map((g) => g.head))} | ${meanStd(groups.map((g) => g.body))} | ${meanStd(groups.map((g) => g.tail))} | ${meanStd(of.map((r) => r.scores.pixelAccuracy))} | ${(minutes.reduce((a, b) => a + b, 0) / minutes.length).toFixed(1)} min | ${of[0]?.backend ?? '?'} |`;
});
const summary = [
  '| variant | seeds | mIoU % | head IoU % | body IoU % | tail IoU % | pixel acc. % | wall time per run | backend |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows,
].join('\n');

const first = results[0]?.scores;
const classRows = (first?.imageCounts ?? []).map((count, c) => {
  const cells = variants.map((variant) =>
    meanStd(results.filter((r) => r.variant === variant).map((r) => r.scores.perClassIoU[c] ?? null)),
  );
  return `| ${c} ${FASHION_MNIST_SEG_LT_CLASSES[c] ?? ''} | ${count} | ${first?.frequencyGroups.classGroups[c]} | ${cells.join(' | ')} |`;
});
const perClass = [
  `| class | training images | group | ${variants.map((v) => `${v} IoU %`).join(' | ')} |`,
  `| --- | --- | --- | ${variants.map(() => '---').join(' | ')} |`,
  ...classRows,
].join('\n');

const stamp =
  `Measured ${new Date().toISOString().slice(0, 10)}: sweep \`${sweepId}\` through the queue, ${results.length} runs, ` +
  `${(sweepSeconds / 60).toFixed(1)} minutes from submission to the last run; ` +
  'last test evaluation of each run, mean ± standard deviation over the seeds.';
writeBetweenMarkers(
  join(root, 'configs/segmentation/README.md'),
  'fmnist-seg-lt',
  `${stamp}\n\n${summary}\n\n${perClass}`,
);
console.log(`${summary}\n\n${perClass}`);
