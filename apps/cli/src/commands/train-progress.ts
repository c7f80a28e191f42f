import type { TrainerEvent } from '@ltlab/config';
import type { Colours } from '../colours.js';
import type { LiveLine } from '../live-lines.js';
import { formatDuration } from '../output.js';

/** What `onBatch` reports. */
export interface BatchProgress {
  epoch: number;
  totalEpochs: number;
  batch: number;
  batches: number;
  loss: number;
}

/**
 * The lines `ltlab train` prints for people: where the run starts, one line per epoch (loss, lr,
 * images/s, elapsed, ETA), a summary of each evaluation and the result. Times come from the
 * events, so the ETA is (time since start / epochs done here) x epochs left.
 */
export class TrainProgress {
  readonly #c: Colours;
  readonly #runDir: string;
  #startedAt: number | null = null;
  #firstEpoch = 1;
  #totalEpochs = 0;

  constructor(options: { colours: Colours; runDir: string }) {
    this.#c = options.colours;
    this.#runDir = options.runDir;
  }

  lines(event: TrainerEvent): string[] {
    const c = this.#c;
    switch (event.type) {
      case 'started': {
        this.#startedAt = event.time;
        this.#firstEpoch = event.epoch;
        this.#totalEpochs = event.totalEpochs;
        const where = event.device === null ? event.backend : `${event.backend} (${event.device})`;
        const from = event.resumedFrom === null ? '' : `, resumed from ${event.resumedFrom}`;
        return [
          `${c.bold(event.runId)}: ${event.totalEpochs} epochs of ${event.stepsPerEpoch} steps on ${where}${from}`,
        ];
      }
      case 'epoch': {
        const stage = event.stage === 'main' ? '' : ` [${event.stage}]`;
        const elapsed = this.#startedAt === null ? null : event.time - this.#startedAt;
        const done = event.epoch - this.#firstEpoch + 1;
        const left = Math.max(0, this.#totalEpochs - event.epoch);
        const eta = elapsed === null || done < 1 ? null : (elapsed / done) * left;
        return [
          [
            c.bold(
              `epoch ${String(event.epoch).padStart(String(this.#totalEpochs).length)}/${this.#totalEpochs}${stage}`,
            ),
            `loss ${event.trainLoss.toFixed(4)}`,
            `lr ${formatLr(event.lr)}`,
            `${Math.round(event.imagesPerSecond)} img/s`,
            `${event.seconds.toFixed(1)} s`,
            c.dim(`elapsed ${elapsed === null ? '-' : formatDuration(elapsed)}`),
            c.dim(`ETA ${eta === null ? '-' : formatDuration(eta)}`),
          ].join('  '),
        ];
      }
      case 'eval':
        return [`  ${c.cyan(`eval ${event.split}`)} @ epoch ${event.epoch}: ${formatShots(event.metrics)}`];
      case 'finished': {
        const took = this.#startedAt === null ? '' : ` in ${formatDuration(event.time - this.#startedAt)}`;
        const metrics = event.metrics === null ? '' : `: ${formatShots(event.metrics)}`;
        return [`${c.green('done')}${took}${metrics}  (${this.#runDir})`];
      }
      default:
        return [];
    }
  }

  /** The live line of the epoch in progress. */
  batch(progress: BatchProgress): LiveLine {
    return {
      label: `epoch ${progress.epoch}/${progress.totalEpochs}`,
      fraction: progress.batches === 0 ? 0 : progress.batch / progress.batches,
      suffix: `${progress.batch}/${progress.batches}  loss ${progress.loss.toFixed(4)}`,
    };
  }
}

/** `top-1 81.20%  top-5 97.10%  many 90.10%  medium 80.00%  few 60.20%` (– for a group without classes). */
export function formatShots(m: {
  top1: number;
  top5: number | null;
  many: number | null;
  medium: number | null;
  few: number | null;
}): string {
  const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(2)}%`);
  return [
    `top-1 ${pct(m.top1)}`,
    ...(m.top5 === null ? [] : [`top-5 ${pct(m.top5)}`]),
    `many ${pct(m.many)}`,
    `medium ${pct(m.medium)}`,
    `few ${pct(m.few)}`,
  ].join('  ');
}

function formatLr(lr: number): string {
  return lr !== 0 && Math.abs(lr) < 1e-3 ? lr.toExponential(2) : String(Number(lr.toPrecision(3)));
}
