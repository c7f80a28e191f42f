import { cancelRuns } from '@ltlab/orchestrator';
import type { RunRecord, RunStatus } from '@ltlab/store';
import { z } from 'zod';
import { validateFlags } from '../args.js';
import type { CommandInput } from '../command-spec.js';
import { withProducer } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { resolveRun } from './run-ref.js';

const flagSchema = z.object({ sweep: z.string().optional(), json: z.boolean().default(false) });

/** Only these can still be cancelled; a finished, failed, stopped or cancelled run keeps its status. */
const CANCELLABLE: readonly RunStatus[] = ['queued', 'running'];

export interface RunsCancelResult {
  cancelled: string[];
  /** Runs named that had already ended, with the status they keep. */
  unchanged: { id: string; status: RunStatus }[];
}

/**
 * `ltlab runs cancel <run...>`: cancels single runs by id or label, as `sweep cancel` does a whole
 * sweep (the store marks them cancelled, queued jobs leave the queue, a running trainer is told
 * to stop). Every argument is resolved before anything is cancelled, so a typo cancels nothing.
 */
export async function runsCancel(input: CommandInput): Promise<number> {
  const values = validateFlags(flagSchema, input);
  const out = createOutput(values.json);
  const result = await withProducer(async (ctx): Promise<RunsCancelResult> => {
    const named: RunRecord[] = [];
    for (const ref of input.args) {
      const run = await resolveRun(ctx.store, ref, values.sweep);
      if (!named.some((other) => other.id === run.id)) named.push(run);
    }
    const open = named.filter((run) => CANCELLABLE.includes(run.status));
    await cancelRuns(
      ctx,
      open.map((run) => run.id),
    );
    // Re-read: a run may have ended between the lookup and the cancel, and then keeps its status.
    const after = await Promise.all(named.map(async (run) => (await ctx.store.getRun(run.id)) ?? run));
    return {
      cancelled: after
        .filter((run) => run.status === 'cancelled' && open.some((o) => o.id === run.id))
        .map((r) => r.id),
      unchanged: after
        .filter((run) => !(run.status === 'cancelled' && open.some((o) => o.id === run.id)))
        .map((run) => ({ id: run.id, status: run.status })),
    };
  });
  if (out.json) out.data(result);
  else {
    out.print(`Cancelled ${result.cancelled.length} run(s)${result.cancelled.length > 0 ? ':' : '.'}`);
    for (const id of result.cancelled) out.print(`  ${id}`);
    if (result.unchanged.length > 0) {
      out.print(`Left ${result.unchanged.length} run(s) that had already ended:`);
      for (const run of result.unchanged) out.print(`  ${run.id} (${run.status})`);
    }
  }
  return EXIT.ok;
}
