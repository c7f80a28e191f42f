import type { TrainerEvent } from '@ltlab/config';
import type { EventEnvelope } from '@ltlab/orchestrator';
import type { Colours } from '../colours.js';
import { formatShots } from './train-progress.js';

/** A moment in a run's life worth a log line on the control host or a worker. */
export type RunMoment =
  | { kind: 'started'; attempt: number; epoch: number; totalEpochs: number; backend: string; where: string | null }
  | { kind: 'succeeded'; metrics: Parameters<typeof formatShots>[0] | null }
  | { kind: 'failed' | 'cancelled'; code: string; message: string }
  | { kind: 'requeued'; attempt: number; reason: string };

/** From a trainer's own event (a worker's trainer child, which knows no labels). */
export function momentOfTrainerEvent(event: TrainerEvent): RunMoment | null {
  switch (event.type) {
    case 'started':
      return {
        kind: 'started',
        attempt: event.attempt,
        epoch: event.epoch,
        totalEpochs: event.totalEpochs,
        backend: event.device === null ? event.backend : `${event.backend} (${event.device})`,
        where: null,
      };
    case 'finished':
      return { kind: 'succeeded', metrics: event.metrics };
    case 'failed':
      // The worker decides whether that is final; the recorder's view says which.
      return { kind: 'failed', code: event.error.code, message: event.error.message };
    default:
      return null;
  }
}

/**
 * From an event the recorder stored. Only the worker's verdict counts as failed or cancelled
 * (run-ended); the trainer's own `failed` may still be retried.
 */
export function momentOfEnvelope(envelope: EventEnvelope): RunMoment | null {
  if (envelope.source === 'trainer') {
    const moment = envelope.event.type === 'failed' ? null : momentOfTrainerEvent(envelope.event);
    const context = envelope.context;
    if (moment?.kind === 'started' && context !== undefined)
      return { ...moment, where: `${context.node}/${context.slot}` };
    return moment;
  }
  const event = envelope.event;
  if (event.type === 'run-ended') return { kind: event.status, code: event.errorCode, message: event.errorMessage };
  if (event.type === 'run-requeued') return { kind: 'requeued', attempt: event.attempt, reason: event.reason };
  return null;
}

/** The run id of an envelope about a run, or null (worker heartbeats). */
export function runIdOf(envelope: EventEnvelope): string | null {
  if (envelope.source === 'trainer') return envelope.event.runId;
  return 'runId' in envelope.event ? envelope.event.runId : null;
}

/** `run ce (sweep-…-0123456789ab) succeeded: top-1 81.20% ...`; the id alone when the run has no label. */
export function formatRunMoment(moment: RunMoment, run: { id: string; label?: string }, c: Colours): string {
  const name = run.label === undefined || run.label === '' ? run.id : `${run.label} ${c.dim(`(${run.id})`)}`;
  switch (moment.kind) {
    case 'started': {
      const where = moment.where === null ? '' : ` on ${moment.where}`;
      const from = moment.epoch > 1 ? `, from epoch ${moment.epoch}` : '';
      return `run ${name} ${c.cyan('started')}${where}: attempt ${moment.attempt}, ${moment.totalEpochs} epochs${from}, ${moment.backend}`;
    }
    case 'succeeded':
      return `run ${name} ${c.green('succeeded')}${moment.metrics === null ? '' : `: ${formatShots(moment.metrics)}`}`;
    case 'failed':
      return `run ${name} ${c.red('failed')}: [${moment.code}] ${moment.message}`;
    case 'cancelled':
      return moment.code === 'RUN.EARLY_STOPPED'
        ? `run ${name} ${c.yellow('stopped early')}: ${moment.message}`
        : `run ${name} ${c.yellow('cancelled')}: ${moment.message}`;
    case 'requeued':
      return `run ${name} ${c.yellow('requeued')} after attempt ${moment.attempt}: ${moment.reason}`;
  }
}

/**
 * The recorder's `onRecorded` hook of `ltlab serve` and `ltlab up`: a line for each run that
 * starts or ends, named by its label from the store (looked up once per run).
 */
export function logRecordedRuns(
  store: { getRun(id: string): Promise<{ label: string } | null> },
  log: (line: string) => void,
  colours: Colours,
): (envelope: EventEnvelope) => void {
  const labels = new Map<string, Promise<string>>();
  const labelOf = (id: string): Promise<string> => {
    let label = labels.get(id);
    if (label === undefined) {
      label = store.getRun(id).then(
        (run) => run?.label ?? '',
        () => '',
      );
      labels.set(id, label);
    }
    return label;
  };
  return (envelope) => {
    const moment = momentOfEnvelope(envelope);
    const id = runIdOf(envelope);
    if (moment === null || id === null) return;
    void labelOf(id).then((label) => log(formatRunMoment(moment, { id, label }, colours)));
  };
}
