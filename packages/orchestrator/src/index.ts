export { checkArtifactPath, isArtifactRunId } from './artifacts/artifact-path.js';
export {
  type ArtifactEntry,
  type ArtifactStore,
  artifactEntrySchema,
  artifactListSchema,
  type StoredArtifact,
} from './artifacts/artifact-store.js';
export { artifactStoreFromEnv } from './artifacts/artifact-store-from-env.js';
export { type AtomicWriteOptions, writeStreamAtomically } from './artifacts/atomic-file.js';
export { backoffDelayMs } from './artifacts/backoff.js';
export { HttpArtifactStore, type HttpArtifactStoreOptions, SHA256_HEADER } from './artifacts/http-artifact-store.js';
export { LocalArtifactStore, type OpenedArtifact } from './artifacts/local-artifact-store.js';
export { type StopDecision, SweepGuard } from './early-stopping/sweep-guard.js';
export { cancelRuns } from './producer/cancel-runs.js';
export { enqueueStoredRun } from './producer/enqueue-stored-run.js';
export { type SweepExtension, submitOrExtendSweep } from './producer/extend-sweep.js';
export { retryRuns } from './producer/retry-runs.js';
export { type ProducerContext, type SubmitOptions, type SubmitResult, submitSweep } from './producer/submit-sweep.js';
export {
  connectRedis,
  createRedis,
  EVENTS_QUEUE,
  type QueueSettings,
  queueSettingsFromEnv,
  RECONNECT_MAX_DELAY_MS,
  type RedisClientOptions,
  type RedisRole,
  RUNS_QUEUE,
  reconnectDelayMs,
} from './queue/connection.js';
export { checkRedisDurability, type DurabilityFinding, warnIfRedisNotDurable } from './queue/durability.js';
export {
  type EventEnvelope,
  eventEnvelopeSchema,
  type RunJob,
  runJobSchema,
  type WorkerEvent,
  workerEventSchema,
} from './queue/payloads.js';
export { describeRedisFailure } from './queue/redis-failure.js';
export { type RedisOutageOptions, RedisOutageWatch } from './queue/redis-outage.js';
export { parseRedisUrl, type RedisTarget } from './queue/redis-url.js';
export { bullPriority, keys, openEventsQueue, openRunsQueue, publishEvent, runJobOptions } from './queue/run-queue.js';
export { DEFAULT_REDIS_TIMEOUT_MS, type WaitForRedisOptions, waitForRedis } from './queue/wait-for-redis.js';
export { applyEvent, type ObjectiveLookup } from './recorder/apply-event.js';
export { type ReapResult, reapStaleRuns } from './recorder/reaper.js';
export { Recorder, type RecorderOptions } from './recorder/recorder.js';
export {
  type ContinueOptions,
  continueTpeSweep,
  type SearchContext,
  type TpeProgress,
  tpeResults,
} from './search/continue-tpe-sweep.js';
export type { SuggestionRecord } from './search/suggestion-record.js';
export { DEFAULT_TPE_INFLIGHT, tpeInflightTarget } from './search/tpe-inflight.js';
export {
  suggestTpe,
  TPE_DEFAULTS,
  type TpeInput,
  type TpeResult,
  type TpeSettings,
  type TpeSuggestion,
  tpeGamma,
} from './search/tpe-sampler.js';
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
export { CheckpointSync, type RestoreResult } from './worker/checkpoint-sync.js';
export { DataSourceCatalog, type DataSourceReport, dataSourceReportSchema } from './worker/data-sources.js';
export { EventOutbox, type EventOutboxOptions } from './worker/event-outbox.js';
export { oomKillCounterFile, readOomKills } from './worker/oom-kills.js';
export { recipeDataSections } from './worker/recipe-data.js';
export { parseSlots, type Slot, slotEnv, slotName } from './worker/slots.js';
export { labelTrainerExit, type TrainerExitLabel } from './worker/trainer-exit.js';
export { type TrainerCommand, type TrainerOutcome, TrainerProcess } from './worker/trainer-process.js';
export { UNDELIVERED_EVENTS_FILE, WorkerSupervisor, type WorkerSupervisorOptions } from './worker/worker-supervisor.js';
