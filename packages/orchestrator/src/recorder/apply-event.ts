import type { JsonObject, MetricPointInput, RunStore } from '@ltlab/store';
import type { EventEnvelope } from '../queue/payloads.js';

/** The sweep objective of a run (`test/top1`, `max`), or null for runs outside a sweep. */
export type ObjectiveLookup = (runId: string) => Promise<{ metric: string; mode: 'max' | 'min' } | null>;

/**
 * Writes one event into the store. Every write is keyed (run, attempt, metric + step), so
 * applying the same event twice, or a stale attempt's event late, changes nothing. Epochs are
 * 1-based: parsing the envelope renumbered any event of an old 0-based trainer.
 */
export async function applyEvent(
  store: RunStore,
  envelope: EventEnvelope,
  objectiveOf: ObjectiveLookup,
): Promise<void> {
  if (envelope.source === 'worker') {
    const event = envelope.event;
    const at = new Date(event.time);
    switch (event.type) {
      case 'worker-heartbeat':
        await store.heartbeatWorker({
          id: event.workerId,
          node: event.node,
          slot: event.slot,
          pid: event.pid,
          ...(event.backend === null ? {} : { backend: event.backend }),
          ...(event.device === null ? {} : { device: event.device }),
          ...(event.memoryBytes === null ? {} : { memoryBytes: event.memoryBytes }),
          status: event.status,
          currentRunId: event.currentRunId,
          ...(event.dataSources === undefined ? {} : { dataSources: event.dataSources }),
          at,
        });
        return;
      case 'worker-stopped':
        await store.removeWorker(event.workerId);
        return;
      case 'run-requeued':
        await store.markRunRequeued({ runId: event.runId, attempt: event.attempt, at, reason: requeueReason(event) });
        return;
      case 'run-ended':
        await store.markRunFinished({
          runId: event.runId,
          attempt: Math.max(event.attempt, 1),
          // Workers report an early stop as cancelled with RUN.EARLY_STOPPED; the store keeps it
          // apart from a user's cancel, with the code and the rule's message as the reason.
          status: event.status === 'cancelled' && event.errorCode === 'RUN.EARLY_STOPPED' ? 'stopped' : event.status,
          errorCode: event.errorCode,
          errorMessage: event.errorMessage,
          at,
        });
        return;
      case 'run-heartbeat':
        await store.markRunProgress({ runId: event.runId, attempt: event.attempt, at });
        return;
    }
  }
  const event = envelope.event;
  const context = envelope.context;
  const at = new Date(event.time);
  const base = { runId: event.runId, attempt: event.attempt, step: event.step, epoch: event.epoch, wallTime: at };
  switch (event.type) {
    case 'started':
      await store.markRunStarted({
        runId: event.runId,
        attempt: event.attempt,
        node: context?.node ?? 'local',
        slot: context?.slot ?? '0',
        backend: event.device === null ? event.backend : `${event.backend} (${event.device})`,
        ...(context?.gitCommit === undefined ? {} : { gitCommit: context.gitCommit }),
        ...(context?.gitDirty === undefined ? {} : { gitDirty: context.gitDirty }),
        resumedFrom: event.resumedFrom,
        rejectedCheckpoints: event.rejectedCheckpoints,
        ...(event.provenance === undefined ? {} : { provenance: event.provenance }),
        at,
      });
      // The files the trainer set aside are no longer where their checkpoint events put them.
      await store.markArtifactsRemoved(
        event.runId,
        event.rejectedCheckpoints.map((rejected) => rejected.file),
        at,
      );
      if (event.resumedFrom !== null) {
        // Where an attempt picked up: the epochs its checkpoint had completed, plotted at the last of them.
        const completed = event.epoch - 1;
        await store.recordMetrics([
          { ...base, epoch: completed, name: 'resumed_at_epoch', split: 'train', value: completed },
        ]);
      }
      return;
    case 'epoch': {
      const points: MetricPointInput[] = [
        { ...base, name: 'loss', split: 'train', value: event.trainLoss },
        { ...base, name: 'lr', split: 'train', value: event.lr },
        { ...base, name: 'images_per_second', split: 'train', value: event.imagesPerSecond },
        { ...base, name: 'epoch_seconds', split: 'train', value: event.seconds },
      ];
      await store.recordMetrics(points);
      await store.markRunProgress({ runId: event.runId, attempt: event.attempt, at, epoch: event.epoch });
      return;
    }
    case 'eval': {
      const { top1, top5, many, medium, few } = event.metrics;
      const segmentation = event.segmentation;
      // A segmentation evaluation's scores are its own (top1 is its pixel accuracy, already aAcc).
      const values: Array<[string, number | null]> =
        segmentation === undefined
          ? [
              ['top1', top1],
              ['top5', top5],
              ['many', many],
              ['medium', medium],
              ['few', few],
            ]
          : [
              ['mIoU', segmentation.mIoU],
              ['aAcc', segmentation.pixelAccuracy],
              ['mAcc', segmentation.meanClassAccuracy],
              ['headIoU', segmentation.frequencyGroups.head],
              ['bodyIoU', segmentation.frequencyGroups.body],
              ['tailIoU', segmentation.frequencyGroups.tail],
            ];
      await store.recordMetrics(
        values.flatMap(([name, value]) => (value === null ? [] : [{ ...base, name, split: event.split, value }])),
      );
      const objective = await objectiveOf(event.runId);
      const objectiveValue = values.find(([name]) => objective?.metric === `${event.split}/${name}`)?.[1];
      const perClass = event.perClassAccuracy.length > 0 || event.trainCounts.length > 0;
      await store.recordEvaluation({
        runId: event.runId,
        split: event.split,
        epoch: event.epoch,
        top1,
        ...(top5 === null ? {} : { top5 }),
        ...(many === null ? {} : { many }),
        ...(medium === null ? {} : { medium }),
        ...(few === null ? {} : { few }),
        ...(perClass ? { perClass: { accuracy: event.perClassAccuracy, trainCounts: event.trainCounts } } : {}),
        ...(event.confusion === null ? {} : { confusion: event.confusion }),
        // Parsed from JSON by the event schema, so it is JSON (its optional keys are absent, not undefined).
        ...(segmentation === undefined ? {} : { segmentation: segmentation as unknown as JsonObject }),
        ...(objectiveValue === undefined || objectiveValue === null ? {} : { objective: objectiveValue }),
      });
      return;
    }
    case 'checkpoint': {
      const best = event.file === 'best';
      await store.recordArtifact({
        runId: event.runId,
        path: event.path,
        kind: best ? 'best-checkpoint' : 'checkpoint',
        epoch: event.epoch,
        sizeBytes: event.sizeBytes,
        sha256: event.sha256,
        ...(best && event.selection !== null ? { selection: event.selection } : {}),
      });
      // Files keepLast deleted: views list only what is on disk.
      await store.markArtifactsRemoved(event.runId, event.pruned, at);
      return;
    }
    case 'finished':
      await store.markRunFinished({ runId: event.runId, attempt: event.attempt, status: 'succeeded', at });
      return;
    case 'failed':
      // The worker decides between retry and final failure and reports that (run-requeued or
      // run-ended); the trainer's own report only keeps the run's heartbeat fresh.
      await store.markRunProgress({ runId: event.runId, attempt: event.attempt, at });
      return;
  }
}

/** The code and message of a requeue: the worker's `[CODE] message` reason, split when it names its code. */
function requeueReason(event: { reason: string; code?: string | undefined }): { code: string; message: string } {
  if (event.code === undefined) return { code: 'TRAIN.INTERRUPTED', message: event.reason };
  const prefix = `[${event.code}] `;
  return {
    code: event.code,
    message: event.reason.startsWith(prefix) ? event.reason.slice(prefix.length) : event.reason,
  };
}
