export { ashaStops, isAshaRung } from './early-stopping/asha.js';
export { median, medianRuleStops } from './early-stopping/median-rule.js';
export { type StopDecision, SweepGuard } from './early-stopping/sweep-guard.js';
export { cancelRuns } from './producer/cancel-runs.js';
export { enqueueStoredRun } from './producer/enqueue-stored-run.js';
export { retryRuns } from './producer/retry-runs.js';
export { type ProducerContext, type SubmitOptions, type SubmitResult, submitSweep } from './producer/submit-sweep.js';
export {
  connectRedis,
  createRedis,
  EVENTS_QUEUE,
  type QueueSettings,
  queueSettingsFromEnv,
  RUNS_QUEUE,
} from './queue/connection.js';
export {
  type EventEnvelope,
  eventEnvelopeSchema,
  type RunJob,
  runJobSchema,
  type WorkerEvent,
  workerEventSchema,
} from './queue/payloads.js';
export { bullPriority, keys, openEventsQueue, openRunsQueue, publishEvent, runJobOptions } from './queue/run-queue.js';
export { applyEvent, type ObjectiveLookup } from './recorder/apply-event.js';
export { type ReapResult, reapStaleRuns } from './recorder/reaper.js';
export { Recorder, type RecorderOptions } from './recorder/recorder.js';
export { getPath, withPath } from './sweep/dotted-path.js';
export { type ExpandedRun, type ExpandedSweep, type ExpandOptions, expandSweep } from './sweep/expand-sweep.js';
export { type LoadedSweep, type LoadSweepOptions, loadSweepFile } from './sweep/load-sweep-file.js';
export { assertSweepConfigPaths, sweepConfigProblems } from './sweep/sweep-config-paths.js';
export { sweepIdentityHash } from './sweep/sweep-identity.js';
export { assertSweepSize, DEFAULT_MAX_RUNS, type SweepSize, sweepSize } from './sweep/sweep-size.js';
export {
  configPathSchema,
  type Distribution,
  distributionSchema,
  type EarlyStopping,
  earlyStoppingSchema,
  objectiveSchema,
  type SweepSpec,
  type SweepSpecInput,
  sweepSpecSchema,
} from './sweep/sweep-spec.js';
export { parseSlots, type Slot, slotEnv, slotName } from './worker/slots.js';
export { type TrainerCommand, type TrainerOutcome, TrainerProcess } from './worker/trainer-process.js';
export { WorkerSupervisor, type WorkerSupervisorOptions } from './worker/worker-supervisor.js';
