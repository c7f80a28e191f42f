import { LtlabError } from '@ltlab/core';
import type { EventEnvelope } from '../queue/payloads.js';
import { continueTpeSweep, type SearchContext } from '../search/continue-tpe-sweep.js';

/**
 * After an event that ends a run (the trainer's `finished`, a worker's `run-ended`: failed,
 * cancelled or early-stopped), continues the run's sweep if it is a TPE sweep: the freed place
 * gets the next suggestion, conditioned on every result so far. A store or Redis failure
 * propagates, so the event is retried; a stored spec that no longer parses is reported through
 * `report` instead, as retrying cannot mend it.
 */
export async function continueSearchAfter(
  ctx: SearchContext,
  envelope: EventEnvelope,
  report: (message: string) => void,
): Promise<void> {
  const event = envelope.event;
  const ended =
    (envelope.source === 'trainer' && event.type === 'finished') ||
    (envelope.source === 'worker' && event.type === 'run-ended');
  if (!ended || !('runId' in event)) return;
  const run = await ctx.store.getRun(event.runId);
  if (run?.sweepId == null) return;
  try {
    await continueTpeSweep(ctx, run.sweepId);
  } catch (error) {
    if (error instanceof LtlabError && !error.retryable) {
      report(`sweep ${run.sweepId}: ${error.message}`);
      return;
    }
    throw error;
  }
}
