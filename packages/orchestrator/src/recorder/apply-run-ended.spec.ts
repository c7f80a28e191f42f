import { openRunStore, type PrismaRunStore } from '@ltlab/store';
import { createTemporaryDatabase } from '@ltlab/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventEnvelopeSchema } from '../queue/payloads.js';
import { applyEvent } from './apply-event.js';

const noObjective = async () => null;

function runEnded(runId: string, status: 'failed' | 'cancelled', errorCode: string, errorMessage: string) {
  return eventEnvelopeSchema.parse({
    id: `run-ended:${runId}:1`,
    source: 'worker',
    event: { type: 'run-ended', runId, attempt: 1, status, errorCode, errorMessage, time: Date.UTC(2026, 11, 8) },
  });
}

describe('applying a worker run-ended event', () => {
  let store: PrismaRunStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTemporaryDatabase('sqlite', { label: 'apply_run_ended' });
    drop = database.drop;
    store = await openRunStore({ target: database.target, migrate: true });
    await store.addRuns(
      ['pruned', 'cancelled'].map((id, ordinal) => ({
        id,
        sweepId: null,
        fingerprint: id,
        config: {},
        configHash: id,
        label: id,
        ordinal,
        sweptKeys: [],
      })),
    );
    for (const id of ['pruned', 'cancelled'])
      await store.markRunStarted({ runId: id, attempt: 1, node: 'n', slot: '0', at: new Date(Date.UTC(2026, 11, 7)) });
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('stores an early stop as stopped, with RUN.EARLY_STOPPED and the rule message as the reason', async () => {
    const reason = 'ASHA rung at epoch 3: 0.4100 is not in the top 1/3';
    await applyEvent(store, runEnded('pruned', 'cancelled', 'RUN.EARLY_STOPPED', reason), noObjective);
    expect(await store.getRun('pruned')).toMatchObject({
      status: 'stopped',
      errorCode: 'RUN.EARLY_STOPPED',
      errorMessage: reason,
    });
  });

  it("keeps a user's cancel cancelled", async () => {
    await applyEvent(store, runEnded('cancelled', 'cancelled', 'RUN.CANCELLED', 'Cancelled by a user.'), noObjective);
    expect(await store.getRun('cancelled')).toMatchObject({ status: 'cancelled', errorCode: 'RUN.CANCELLED' });
  });
});
