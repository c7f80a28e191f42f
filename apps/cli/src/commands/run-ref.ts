import { LtlabError } from '@ltlab/core';
import type { RunExplorer, RunRecord, RunStore } from '@ltlab/store';

/** More ids than this are counted, not listed, in the ambiguous-label error. */
const LISTED = 10;

/**
 * The run a `runs show`/`runs compare` argument names: a run id, else a label that names one run
 * (within `sweepId` when given). Labels repeat across sweeps, so an ambiguous one lists its ids.
 */
export async function resolveRun(
  store: Pick<RunStore, 'getRun'> & Pick<RunExplorer, 'queryRunTable'>,
  ref: string,
  sweepId?: string,
): Promise<RunRecord> {
  const byId = await store.getRun(ref);
  if (byId !== null) return byId;
  const { rows, total } = await store.queryRunTable({
    ...(sweepId === undefined ? {} : { sweepId }),
    filters: [{ column: 'run:label', equals: ref }],
    limit: LISTED,
  });
  const within = sweepId === undefined ? '' : ` in sweep '${sweepId}'`;
  const [only] = rows;
  if (total === 1 && only !== undefined) return only.run;
  if (total === 0) {
    throw new LtlabError('RUN.NOT_FOUND', `No run has the id or label '${ref}'${within}.`, {
      fix: `List runs with their ids: ltlab runs list${sweepId === undefined ? '' : ` --sweep ${sweepId}`}`,
    });
  }
  const ids = rows.map((row) => `  - ${row.run.id}${row.run.sweepId === null ? '' : ` (sweep ${row.run.sweepId})`}`);
  if (total > rows.length) ids.push(`  ... and ${total - rows.length} more`);
  throw new LtlabError('CONFIG.INVALID', `Label '${ref}' names ${total} runs${within}:\n${ids.join('\n')}`, {
    fix:
      sweepId === undefined
        ? 'Pass one of these run ids, or add --sweep ID to pick the label within one sweep.'
        : 'Pass one of these run ids.',
  });
}
