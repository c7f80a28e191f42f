/**
 * Writes the table of a Fashion-MNIST-Seg-LT sweep (configs/sweeps/fmnist-seg-lt-ce-vs-rr.yaml)
 * into configs/segmentation/README.md, between the `results:fmnist-seg-lt` markers, from the store
 * the sweep was recorded in (LTLAB_HOME or DATABASE_URL, as for `ltlab`): for each variant the
 * mean ± standard deviation over its seeds of the last test evaluation's mIoU, head / body / tail
 * IoU and pixel accuracy, the runs' wall time, and the per-class IoU against the training image
 * counts.
 * Usage: npx tsx --conditions=@ltlab/source scripts/seg-lt-table.ts --sweep <id>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FASHION_MNIST_SEG_LT_CLASSES } from '@ltlab/datasets';
import { parseSegmentationEvaluation, type SegmentationEvaluation } from '@ltlab/metrics';
import { openRunStore } from '@ltlab/store';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { sweep: { type: 'string' } } });
const sweepId = values.sweep;
if (sweepId === undefined) {
  console.error('usage: scripts/seg-lt-table.ts --sweep <id>');
  process.exit(2);
}

interface RunResult {
  variant: string;
  seed: number;
  scores: SegmentationEvaluation;
  seconds: number;
  backend: string;
}

const store = await openRunStore();
const results: RunResult[] = [];
/** From submission (the first run queued) to the last run finished. */
let sweepSeconds = 0;
try {
  const { runs } = await store.listRuns({ sweepId, orderBy: 'ordinal' });
  const queued = Math.min(...runs.map((run) => run.queuedAt.getTime()));
  const finished = Math.max(...runs.map((run) => run.finishedAt?.getTime() ?? Number.NaN));
  sweepSeconds = (finished - queued) / 1000;
  for (const run of runs) {
    if (run.status !== 'succeeded' || run.startedAt === null || run.finishedAt === null) {
      throw new Error(`run ${run.id} (${run.label}) is ${run.status}: wait for the sweep to finish`);
    }
    const detail = await store.getRunDetail(run.id);
    const last = detail?.evaluations.filter((e) => e.split === 'test').at(-1);
    if (last?.segmentation === undefined) throw new Error(`run ${run.id} has no segmentation evaluation`);
    results.push({
      variant: run.label.split(' ')[0] ?? run.label,
      seed: Number(run.config.seed),
      scores: parseSegmentationEvaluation(last.segmentation, `run ${run.id}'s last test evaluation`),
      seconds: (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000,
      // `native (CPU: ...; 1 thread per process)`: the backend's name is enough for the table.
      backend: (run.backend ?? '?').split(' (')[0] as string,
    });
  }
} finally {
  await store.close();
}

/** Mean ± sample standard deviation, in percent. */
function meanStd(xs: Array<number | null>): string {
  const known = xs.filter((x): x is number => x !== null);
  if (known.length === 0) return '–';
  const mean = known.reduce((a, b) => a + b, 0) / known.length;
  const variance = known.length > 1 ? known.reduce((a, b) => a + (b - mean) ** 2, 0) / (known.length - 1) : 0;
  const missing = known.length < xs.length ? ` (${known.length} of ${xs.length})` : '';
  return `${(100 * mean).toFixed(2)} ± ${(100 * Math.sqrt(variance)).toFixed(2)}${missing}`;
}

const variants = [...new Set(results.map((r) => r.variant))];
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
const readme = join(root, 'configs/segmentation/README.md');
const begin = '<!-- results:fmnist-seg-lt -->';
const end = '<!-- /results:fmnist-seg-lt -->';
const text = readFileSync(readme, 'utf8');
const from = text.indexOf(begin);
const to = text.indexOf(end);
if (from < 0 || to < 0) throw new Error(`${readme} lacks the ${begin} ... ${end} markers`);
writeFileSync(
  readme,
  `${text.slice(0, from + begin.length)}\n${stamp}\n\n${summary}\n\n${perClass}\n${text.slice(to)}`,
);
console.log(`${summary}\n\n${perClass}`);
