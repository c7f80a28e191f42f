/** What the control plane records about sweeps, runs, metrics and workers (docs/architecture.md §6). */

import type { ObjectivePoint } from './rung-table.js';

/**
 * `stopped`: the sweep's early-stopping rule ended the run (error code `RUN.EARLY_STOPPED` says
 * why); unlike `cancelled` it is a result, and `sweep resume --retry-failed` leaves it alone.
 */
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'stopped', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run in one of these states only leaves it through an explicit requeue. */
export const FINAL_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'stopped', 'cancelled'];

/** Runs that ended with a result: their objective counts (sweep progress, the TPE search). */
export const RESULT_STATUSES: readonly RunStatus[] = ['succeeded', 'stopped'];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface SweepInput {
  id: string;
  name: string;
  spec: JsonObject;
  specHash: string;
  objectiveMetric: string;
  objectiveMode: 'max' | 'min';
  priority: number;
  maxConcurrency: number | null;
}

export interface SweepRecord extends SweepInput {
  status: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface RunInput {
  id: string;
  sweepId: string | null;
  fingerprint: string;
  config: JsonObject;
  configHash: string;
  label: string;
  ordinal: number;
  /**
   * Leaf keys the sweep varies, as `flattenConfig` writes them (`method.loss`, not `method`): a
   * key that names no leaf marks nothing. The dashboard and `runs show` mark these.
   */
  sweptKeys: readonly string[];
  /** How a searched (TPE) run was suggested; absent for a run the sweep expanded up front. */
  suggestion?: RunSuggestion;
}

/**
 * How a searched run was suggested (docs/architecture.md §5.2): by which algorithm, as which
 * suggestion of its sweep, on which results, and what it suggested. The label says the same in
 * words (`tpe #12 (11 results)`); this is the record the sweep page plots.
 */
export interface RunSuggestion {
  /** `tpe-startup`: a random draw before `startup` results were in; `tpe`: model-based. */
  algorithm: 'tpe' | 'tpe-startup';
  /** 0-based: the i-th suggestion of the sweep. */
  index: number;
  /** How many results it was conditioned on (0 for a start-up draw). */
  conditionedOn: number;
  /** The results it saw: their suggestion indices, and the best objective among them (null: none). */
  inputs: { results: number[]; best: number | null };
  /** The searched values it suggested, by dotted config path. */
  params: JsonObject;
}

/**
 * What a run's latest attempt ran on, from its `started` event (docs/architecture.md §6): the
 * versions of ltlab's packages and of TF.js, the backend and device, Node's version and the
 * platform. The commit and dirty flag are the run's `gitCommit` and `gitDirty`.
 */
export interface RunProvenance {
  /** Package name to version: `@ltlab/train`, the components it loaded, `@tensorflow/tfjs-core`. */
  packages: Record<string, string>;
  tfjs: string;
  backend: string;
  /** What the runtime reports it computes on (CPU model, GPU adapter); null when it said nothing. */
  device: string | null;
  /** `process.version`. */
  node: string;
  /** `<os>-<arch>`. */
  platform: string;
}

export interface RunRecord {
  id: string;
  sweepId: string | null;
  fingerprint: string;
  config: JsonObject;
  configHash: string;
  label: string;
  ordinal: number;
  status: RunStatus;
  attempt: number;
  node: string | null;
  slot: string | null;
  backend: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  gitCommit: string | null;
  gitDirty: boolean | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
  /** The last epoch completed, counted from 1 (8 when an 8-epoch run is done). */
  lastEpoch: number | null;
  objective: number | null;
  /** How a searched run was suggested; null for a run the sweep expanded up front. */
  suggestion: RunSuggestion | null;
}

/** A checkpoint a resuming attempt examined and did not use, and why (a `started` event's `rejectedCheckpoints`). */
export interface RejectedCheckpointRecord {
  /** Relative to the artifact root, as it was named before the trainer set it aside. */
  file: string;
  /** `CHECKPOINT.CORRUPT` (damaged) or `CONFIG.INVALID` (not of this run's config). */
  code: string;
  reason: string;
}

export interface RunStarted {
  runId: string;
  attempt: number;
  node: string;
  slot: string;
  backend?: string;
  gitCommit?: string;
  gitDirty?: boolean;
  /** The checkpoint this attempt resumed from (relative to the artifact root); absent or null: from epoch 1. */
  resumedFrom?: string | null;
  /** The checkpoints it rejected, newest first; absent: none. */
  rejectedCheckpoints?: readonly RejectedCheckpointRecord[];
  /** What the attempt runs on; absent from trainers before it was reported (the last one stays). */
  provenance?: RunProvenance;
  at: Date;
}

export interface RunProgress {
  runId: string;
  attempt: number;
  at: Date;
  /** 1-based epoch just completed. */
  epoch?: number;
}

/** A run back in the queue, and why its attempt ended: kept as its error until the next attempt starts. */
export interface RunRequeued extends RunProgress {
  reason: { code: string; message: string };
}

export interface RunFinished {
  runId: string;
  attempt: number;
  status: Extract<RunStatus, 'succeeded' | 'failed' | 'stopped' | 'cancelled'>;
  errorCode?: string;
  errorMessage?: string;
  at: Date;
}

export interface MetricPointInput {
  runId: string;
  name: string;
  split: string;
  step: number;
  /** 1-based. */
  epoch: number;
  value: number;
  attempt: number;
  wallTime: Date;
}

export interface EvaluationInput {
  runId: string;
  split: string;
  /** 1-based. */
  epoch: number;
  top1: number;
  top5?: number;
  many?: number;
  medium?: number;
  few?: number;
  perClass?: JsonObject;
  confusion?: JsonValue;
  /**
   * A segmentation evaluation, the trainer event's `segmentation` block (@ltlab/metrics'
   * `SegmentationEvaluation`: numClasses, mIoU, pixelAccuracy, meanClassAccuracy, perClassIoU,
   * perClassAccuracy, labelPixels, imageCounts, frequencyGroups, confusion); `top1` then holds
   * the pixel accuracy. Absent for classification.
   */
  segmentation?: JsonObject;
  /** When given, becomes the run's objective (the sweep's metric at this evaluation). */
  objective?: number;
  /**
   * True for an evaluation made after training (`ltlab eval`, split `eval:<name>`): it leaves the
   * run's last epoch and objective as training left them.
   */
  standalone?: boolean;
}

/** What a best checkpoint was chosen by: `metric` on `split` (`val`, `test`), and its value then. */
export interface CheckpointSelection {
  metric: string;
  split: string;
  mode: 'max' | 'min';
  /** Null for a best.ckpt recorded by the migration of a run without that evaluation. */
  value: number | null;
}

export interface ArtifactInput {
  runId: string;
  /** Relative to the artifact root. */
  path: string;
  /** `checkpoint` (an epoch's resumable file) or `best-checkpoint` (best.ckpt). */
  kind: string;
  /** 1-based epoch the file holds. */
  epoch?: number;
  sizeBytes?: number;
  sha256?: string;
  /** best.ckpt: what it was chosen by. */
  selection?: CheckpointSelection;
}

export interface ArtifactRecord extends ArtifactInput {
  /** When the trainer deleted the file (checkpoint.keepLast); absent while it is on disk. */
  removedAt?: Date;
}

/**
 * A data set as a worker's host has it (issue #23): whether the files its source opens are at
 * `path`, where that path came from (`default`, `LTLAB_FASHION_MNIST_DIR`, `data.root`) and why it
 * is listed (`well-known`, `recipe`, `run <id>`).
 */
export interface WorkerDataSource {
  source: string;
  path: string | null;
  via: string;
  present: boolean;
  /** The first file or directory not found. */
  missing: string | null;
  origin: string;
}

export interface WorkerHeartbeat {
  id: string;
  node: string;
  slot: string;
  pid?: number;
  backend?: string;
  device?: string;
  memoryBytes?: number;
  status: 'idle' | 'busy' | 'stopping';
  currentRunId: string | null;
  /** Absent: the row keeps the list of the last heartbeat that carried one. */
  dataSources?: WorkerDataSource[];
  at: Date;
}

export interface WorkerRecord extends Omit<WorkerHeartbeat, 'at'> {
  startedAt: Date;
  heartbeatAt: Date;
}

/**
 * The runs of a sweep or in some states, for the control plane (producer, CLI sweep commands).
 * Filtering by value (hyperparameters, metrics, evaluations) has one model, the runs table's
 * `ColumnFilter`: `RunExplorer.queryRunTable({ filters })` (run-table.ts).
 */
export interface RunQuery {
  sweepId?: string;
  status?: readonly RunStatus[];
  orderBy?: 'ordinal' | 'objective' | 'queuedAt';
  direction?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export interface RunDetail {
  run: RunRecord;
  hyperparameters: Array<{ key: string; value: JsonValue; swept: boolean }>;
  metrics: MetricPointInput[];
  evaluations: Array<Omit<EvaluationInput, 'objective' | 'standalone'>>;
  /** Every artifact ever recorded, deleted files included (with `removedAt`); see `checkpointsOnDisk`. */
  artifacts: ArtifactRecord[];
  /** The checkpoint the latest attempt resumed from; null when it started at epoch 1 (or has not started). */
  resumedFrom: string | null;
  /**
   * The checkpoints the latest attempt rejected, newest first: damaged or not of this run. With
   * `resumedFrom` null and some listed, every checkpoint was rejected and training began again.
   */
  rejectedCheckpoints: RejectedCheckpointRecord[];
  /** What the latest attempt that reported it ran on; null before that (and for runs recorded before). */
  provenance: RunProvenance | null;
}

/**
 * The store as the control plane sees it. Every write is idempotent: replaying the same event
 * (same run, attempt, metric name and step) leaves the same rows.
 */
export interface RunStore {
  /** Creates or updates the sweep row. */
  saveSweep(sweep: SweepInput): Promise<void>;
  getSweep(id: string): Promise<SweepRecord | null>;
  listSweeps(): Promise<SweepRecord[]>;
  setSweepStatus(id: string, status: string): Promise<void>;

  /** Inserts runs that do not exist yet (by id); existing runs are left untouched. */
  addRuns(runs: readonly RunInput[]): Promise<{ created: string[]; existing: string[] }>;
  getRun(id: string): Promise<RunRecord | null>;
  listRuns(query?: RunQuery): Promise<{ runs: RunRecord[]; total: number }>;
  countRunsByStatus(sweepId?: string): Promise<Record<RunStatus, number>>;
  getRunDetail(id: string): Promise<RunDetail | null>;

  /** Applies only to a newer (or the same) attempt of a run not in a final state. */
  markRunStarted(event: RunStarted): Promise<boolean>;
  markRunProgress(event: RunProgress): Promise<boolean>;
  /** Applies only to the current attempt of a run still queued or running. */
  markRunFinished(event: RunFinished): Promise<boolean>;
  /**
   * A running attempt goes back to the queue (retryable failure, worker shutdown, lost worker); the
   * run's error says why until its next attempt starts.
   */
  markRunRequeued(event: RunRequeued): Promise<boolean>;
  /** Puts runs back to queued (resume, retry, reaper) and clears their error; succeeded and stopped runs stay. */
  requeueRuns(ids: readonly string[]): Promise<number>;
  /** Marks queued or running runs cancelled. */
  cancelRuns(ids: readonly string[], at: Date): Promise<number>;
  /** Running runs whose last heartbeat is older than `before`. */
  findStaleRuns(before: Date): Promise<RunRecord[]>;

  recordMetrics(points: readonly MetricPointInput[]): Promise<void>;
  /** A sweep's recorded values of one metric (`split`/`name`), every run, for its early-stopping table. */
  listObjectivePoints(sweepId: string, split: string, name: string): Promise<ObjectivePoint[]>;
  recordEvaluation(evaluation: EvaluationInput): Promise<void>;
  /** Creates or replaces an artifact by (run, path); a file written again is on disk again. */
  recordArtifact(artifact: ArtifactInput): Promise<void>;
  /** Marks files of a run deleted (checkpoint.keepLast pruned them); returns how many rows changed. */
  markArtifactsRemoved(runId: string, paths: readonly string[], at: Date): Promise<number>;

  heartbeatWorker(heartbeat: WorkerHeartbeat): Promise<void>;
  listWorkers(): Promise<WorkerRecord[]>;
  removeWorker(id: string): Promise<void>;

  close(): Promise<void>;
}
