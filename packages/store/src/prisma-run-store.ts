import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LtlabError } from '@ltlab/core';
import { checkDatabase } from './database-check.js';
import { type DatabaseTarget, describeDatabaseSetting, resolveDatabase, sqlitePath } from './database-url.js';
import { flattenConfig } from './flatten-config.js';
import { applyMigrations, migrationStatus } from './migrations.js';
import { createPrismaClient, type StoreClient } from './prisma-client.js';
import { changeStamp, groupRuns, listColumns, queryRunTable } from './run-explorer.js';
import {
  type ArtifactInput,
  type CheckpointSelection,
  type EvaluationInput,
  FINAL_STATUSES,
  type JsonObject,
  type JsonValue,
  type MetricPointInput,
  type RejectedCheckpointRecord,
  RUN_STATUSES,
  type RunDetail,
  type RunFinished,
  type RunInput,
  type RunProgress,
  type RunProvenance,
  type RunQuery,
  type RunRecord,
  type RunRequeued,
  type RunStarted,
  type RunStatus,
  type RunStore,
  type RunSuggestion,
  type SweepInput,
  type SweepRecord,
  type WorkerDataSource,
  type WorkerHeartbeat,
  type WorkerRecord,
} from './run-store.js';
import type { RunExplorer, RunGroup, RunGroupQuery, RunTablePage, RunTableQuery, TableColumns } from './run-table.js';
import type { ObjectivePoint } from './rung-table.js';

const INSERT_CHUNK = 500;
const OPEN_STATUSES: RunStatus[] = ['queued', 'running'];

export interface OpenStoreOptions {
  /** Defaults to `resolveDatabase()`: DATABASE_URL, else SQLite in the data directory. */
  target?: DatabaseTarget;
  /** Apply pending migrations first (the default for the embedded SQLite file). */
  migrate?: boolean;
}

/** Opens the store; fails with STORE.UNAVAILABLE, or CONFIG.INVALID when migrations are pending. */
export async function openRunStore(options: OpenStoreOptions = {}): Promise<PrismaRunStore> {
  const target = options.target ?? resolveDatabase();
  const migrate = options.migrate ?? target.provider === 'sqlite';
  // A bad path or an unreachable server fails here, coded, before anything is created.
  await checkDatabase(target);
  // Read the migration state first: applying takes a write lock, which a reader (the CLI beside a
  // busy recorder on SQLite) should not need when the database is up to date.
  if (target.provider === 'sqlite' && target.url !== 'file::memory:')
    mkdirSync(dirname(sqlitePath(target)), { recursive: true });
  const status = await migrationStatus(target);
  if (status.pending.length > 0) {
    if (!migrate) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `The database ${describeDatabaseSetting(target)} lacks migrations: ${status.pending.join(', ')}.`,
        {
          fix: 'Run `ltlab db migrate` (or `prisma migrate deploy`) against this database.',
        },
      );
    }
    await applyMigrations(target);
  }
  return new PrismaRunStore(await createPrismaClient(target), target);
}

export class PrismaRunStore implements RunStore, RunExplorer {
  constructor(
    readonly client: StoreClient,
    readonly target: DatabaseTarget,
  ) {}

  async saveSweep(sweep: SweepInput): Promise<void> {
    const data = { ...sweep, spec: sweep.spec as object };
    await this.client.sweep.upsert({ where: { id: sweep.id }, create: data, update: data });
  }

  async getSweep(id: string): Promise<SweepRecord | null> {
    const row = await this.client.sweep.findUnique({ where: { id } });
    return row === null ? null : toSweep(row);
  }

  async listSweeps(): Promise<SweepRecord[]> {
    const rows = await this.client.sweep.findMany({ orderBy: { createdAt: 'desc' } });
    return rows.map(toSweep);
  }

  async setSweepStatus(id: string, status: string): Promise<void> {
    await this.client.sweep.updateMany({ where: { id }, data: { status } });
  }

  async addRuns(runs: readonly RunInput[]): Promise<{ created: string[]; existing: string[] }> {
    const created: string[] = [];
    const existing: string[] = [];
    for (let start = 0; start < runs.length; start += INSERT_CHUNK) {
      const chunk = runs.slice(start, start + INSERT_CHUNK);
      const found = await this.client.run.findMany({
        where: { id: { in: chunk.map((run) => run.id) } },
        select: { id: true },
      });
      const known = new Set(found.map((row) => row.id));
      const fresh = chunk.filter((run) => !known.has(run.id));
      existing.push(...chunk.filter((run) => known.has(run.id)).map((run) => run.id));
      if (fresh.length === 0) continue;
      await this.client.$transaction([
        this.client.run.createMany({
          data: fresh.map((run) => ({
            id: run.id,
            sweepId: run.sweepId,
            fingerprint: run.fingerprint,
            config: run.config as object,
            configHash: run.configHash,
            label: run.label,
            ordinal: run.ordinal,
            ...(run.suggestion === undefined ? {} : { suggestion: run.suggestion as object }),
          })),
        }),
        this.client.hyperparameter.createMany({
          data: fresh.flatMap((run) => {
            const swept = new Set(run.sweptKeys);
            return flattenConfig(run.config).map((param) => ({ runId: run.id, ...param, swept: swept.has(param.key) }));
          }),
        }),
      ]);
      created.push(...fresh.map((run) => run.id));
    }
    return { created, existing };
  }

  async getRun(id: string): Promise<RunRecord | null> {
    const row = await this.client.run.findUnique({ where: { id } });
    return row === null ? null : toRun(row);
  }

  async listRuns(query: RunQuery = {}): Promise<{ runs: RunRecord[]; total: number }> {
    const where = {
      ...(query.sweepId === undefined ? {} : { sweepId: query.sweepId }),
      ...(query.status === undefined ? {} : { status: { in: [...query.status] } }),
    };
    const direction = query.direction ?? 'asc';
    const orderBy = [{ [query.orderBy ?? 'ordinal']: direction }, { id: 'asc' as const }];
    const [rows, total] = await Promise.all([
      this.client.run.findMany({
        where,
        orderBy,
        ...(query.limit === undefined ? {} : { take: query.limit }),
        ...(query.offset === undefined ? {} : { skip: query.offset }),
      }),
      this.client.run.count({ where }),
    ]);
    return { runs: rows.map(toRun), total };
  }

  async countRunsByStatus(sweepId?: string): Promise<Record<RunStatus, number>> {
    const groups = await this.client.run.groupBy({
      by: ['status'],
      ...(sweepId === undefined ? {} : { where: { sweepId } }),
      _count: { _all: true },
    });
    const counts = Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>;
    for (const group of groups) counts[asStatus(group.status)] += group._count._all;
    return counts;
  }

  async getRunDetail(id: string): Promise<RunDetail | null> {
    const row = await this.client.run.findUnique({
      where: { id },
      include: {
        hyperparameters: { orderBy: { key: 'asc' } },
        metrics: { orderBy: [{ name: 'asc' }, { split: 'asc' }, { step: 'asc' }] },
        evaluations: { orderBy: [{ split: 'asc' }, { epoch: 'asc' }] },
        artifacts: { orderBy: { path: 'asc' } },
      },
    });
    if (row === null) return null;
    return {
      run: toRun(row),
      hyperparameters: row.hyperparameters.map((param) => ({
        key: param.key,
        value: parameterValue(param),
        swept: param.swept,
      })),
      metrics: row.metrics.map((point) => ({ ...point })),
      evaluations: row.evaluations.map((evaluation) =>
        dropNulls({
          runId: evaluation.runId,
          split: evaluation.split,
          epoch: evaluation.epoch,
          top1: evaluation.top1,
          top5: evaluation.top5,
          many: evaluation.many,
          medium: evaluation.medium,
          few: evaluation.few,
          perClass: evaluation.perClass as JsonObject | null,
          confusion: evaluation.confusion as JsonValue | null,
          segmentation: evaluation.segmentation as JsonObject | null,
        }),
      ),
      artifacts: row.artifacts.map((artifact) =>
        dropNulls({
          ...artifact,
          createdAt: undefined,
          selection: artifact.selection as CheckpointSelection | null,
        }),
      ),
      resumedFrom: row.resumedFrom,
      rejectedCheckpoints: (row.rejectedCheckpoints ?? []) as unknown as RejectedCheckpointRecord[],
      provenance: (row.provenance ?? null) as unknown as RunProvenance | null,
    };
  }

  async markRunStarted(event: RunStarted): Promise<boolean> {
    const result = await this.client.run.updateMany({
      where: { id: event.runId, attempt: { lte: event.attempt }, status: { notIn: [...FINAL_STATUSES] } },
      data: {
        status: 'running',
        attempt: event.attempt,
        node: event.node,
        slot: event.slot,
        backend: event.backend ?? null,
        gitCommit: event.gitCommit ?? null,
        gitDirty: event.gitDirty ?? null,
        // Each attempt says how it began; an empty list (not SQL null) clears the last one's.
        resumedFrom: event.resumedFrom ?? null,
        rejectedCheckpoints: (event.rejectedCheckpoints ?? []).map(({ file, code, reason }) => ({
          file,
          code,
          reason,
        })),
        ...(event.provenance === undefined ? {} : { provenance: event.provenance as object }),
        startedAt: event.at,
        heartbeatAt: event.at,
        finishedAt: null,
        errorCode: null,
        errorMessage: null,
      },
    });
    return result.count > 0;
  }

  async markRunProgress(event: RunProgress): Promise<boolean> {
    const result = await this.client.run.updateMany({
      where: { id: event.runId, attempt: event.attempt, status: 'running' },
      data: { heartbeatAt: event.at, ...(event.epoch === undefined ? {} : { lastEpoch: event.epoch }) },
    });
    return result.count > 0;
  }

  async markRunFinished(event: RunFinished): Promise<boolean> {
    const result = await this.client.run.updateMany({
      where: { id: event.runId, attempt: { lte: event.attempt }, status: { in: OPEN_STATUSES } },
      data: {
        status: event.status,
        attempt: event.attempt,
        finishedAt: event.at,
        errorCode: event.errorCode ?? null,
        errorMessage: event.errorMessage ?? null,
      },
    });
    return result.count > 0;
  }

  async markRunRequeued(event: RunRequeued): Promise<boolean> {
    const result = await this.client.run.updateMany({
      where: { id: event.runId, attempt: { lte: event.attempt }, status: { in: OPEN_STATUSES } },
      data: {
        status: 'queued',
        queuedAt: event.at,
        heartbeatAt: event.at,
        errorCode: event.reason.code,
        errorMessage: `attempt ${event.attempt} requeued: ${event.reason.message}`,
      },
    });
    return result.count > 0;
  }

  async requeueRuns(ids: readonly string[]): Promise<number> {
    const result = await this.client.run.updateMany({
      where: { id: { in: [...ids] }, status: { notIn: ['succeeded', 'stopped'] } },
      data: { status: 'queued', queuedAt: new Date(), errorCode: null, errorMessage: null, finishedAt: null },
    });
    return result.count;
  }

  async cancelRuns(ids: readonly string[], at: Date): Promise<number> {
    const result = await this.client.run.updateMany({
      where: { id: { in: [...ids] }, status: { in: OPEN_STATUSES } },
      data: { status: 'cancelled', finishedAt: at, errorCode: 'RUN.CANCELLED', errorMessage: 'Cancelled by a user.' },
    });
    return result.count;
  }

  async findStaleRuns(before: Date): Promise<RunRecord[]> {
    const rows = await this.client.run.findMany({
      where: { status: 'running', OR: [{ heartbeatAt: { lt: before } }, { heartbeatAt: null }] },
      orderBy: { heartbeatAt: 'asc' },
    });
    return rows.map(toRun);
  }

  async recordMetrics(points: readonly MetricPointInput[]): Promise<void> {
    if (points.length === 0) return;
    await this.client.$transaction(
      points.map((point) =>
        this.client.metricPoint.upsert({
          where: {
            runId_name_split_step: { runId: point.runId, name: point.name, split: point.split, step: point.step },
          },
          create: point,
          update: { epoch: point.epoch, value: point.value, attempt: point.attempt, wallTime: point.wallTime },
        }),
      ),
    );
  }

  async listObjectivePoints(sweepId: string, split: string, name: string): Promise<ObjectivePoint[]> {
    const rows = await this.client.metricPoint.findMany({
      where: { run: { sweepId }, split, name },
      select: { runId: true, epoch: true, value: true, wallTime: true },
      orderBy: [{ wallTime: 'asc' }, { epoch: 'asc' }, { runId: 'asc' }],
    });
    return rows.map((row) => ({ runId: row.runId, epoch: row.epoch, value: row.value, wallTime: row.wallTime }));
  }

  async recordEvaluation(evaluation: EvaluationInput): Promise<void> {
    const { objective, top5, many, medium, few, perClass, confusion, segmentation, standalone } = evaluation;
    const data = {
      runId: evaluation.runId,
      split: evaluation.split,
      epoch: evaluation.epoch,
      top1: evaluation.top1,
      ...(top5 === undefined ? {} : { top5 }),
      ...(many === undefined ? {} : { many }),
      ...(medium === undefined ? {} : { medium }),
      ...(few === undefined ? {} : { few }),
      ...(perClass === undefined ? {} : { perClass: perClass as object }),
      ...(confusion === undefined || confusion === null ? {} : { confusion: confusion as object }),
      ...(segmentation === undefined ? {} : { segmentation: segmentation as object }),
    };
    const upsert = this.client.evaluation.upsert({
      where: { runId_split_epoch: { runId: evaluation.runId, split: evaluation.split, epoch: evaluation.epoch } },
      create: data,
      update: data,
    });
    if (standalone === true) {
      await upsert;
      return;
    }
    await this.client.$transaction([
      upsert,
      this.client.run.updateMany({
        where: { id: evaluation.runId },
        data: { lastEpoch: evaluation.epoch, ...(objective === undefined ? {} : { objective }) },
      }),
    ]);
  }

  async recordArtifact(artifact: ArtifactInput): Promise<void> {
    const { selection, ...fields } = artifact;
    const data = { ...fields, ...(selection === undefined ? {} : { selection: selection as object }) };
    await this.client.artifact.upsert({
      where: { runId_path: { runId: artifact.runId, path: artifact.path } },
      create: data,
      // Written again (a resumed attempt redoing an epoch): on disk again.
      update: { ...data, removedAt: null },
    });
  }

  async markArtifactsRemoved(runId: string, paths: readonly string[], at: Date): Promise<number> {
    if (paths.length === 0) return 0;
    const result = await this.client.artifact.updateMany({
      where: { runId, path: { in: [...paths] }, removedAt: null },
      data: { removedAt: at },
    });
    return result.count;
  }

  async heartbeatWorker(heartbeat: WorkerHeartbeat): Promise<void> {
    const { at, dataSources, ...rest } = heartbeat;
    const fields = { ...rest, ...(dataSources === undefined ? {} : { dataSources: dataSources as object[] }) };
    await this.client.worker.upsert({
      where: { id: heartbeat.id },
      create: { ...fields, startedAt: at, heartbeatAt: at },
      update: { ...fields, heartbeatAt: at },
    });
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    const rows = await this.client.worker.findMany({ orderBy: [{ node: 'asc' }, { slot: 'asc' }] });
    return rows.map((row) =>
      dropNulls({
        ...row,
        status: row.status as WorkerRecord['status'],
        dataSources: (row.dataSources ?? null) as unknown as WorkerDataSource[] | null,
      }),
    ) as WorkerRecord[];
  }

  async removeWorker(id: string): Promise<void> {
    await this.client.worker.deleteMany({ where: { id } });
  }

  queryRunTable(query: RunTableQuery): Promise<RunTablePage> {
    return queryRunTable(this.client, this.target.provider, query, toRun);
  }

  groupRuns(query: RunGroupQuery): Promise<RunGroup[]> {
    return groupRuns(this.client, this.target.provider, query);
  }

  listColumns(sweepId?: string): Promise<TableColumns> {
    return listColumns(this.client, sweepId);
  }

  changeStamp(): Promise<string> {
    return changeStamp(this.client);
  }

  async close(): Promise<void> {
    await this.client.$disconnect();
  }
}

type RunRow = Awaited<ReturnType<StoreClient['run']['findUniqueOrThrow']>>;
type SweepRow = Awaited<ReturnType<StoreClient['sweep']['findUniqueOrThrow']>>;

function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    sweepId: row.sweepId,
    fingerprint: row.fingerprint,
    config: row.config as JsonObject,
    configHash: row.configHash,
    label: row.label,
    ordinal: row.ordinal,
    status: asStatus(row.status),
    attempt: row.attempt,
    node: row.node,
    slot: row.slot,
    backend: row.backend,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    gitCommit: row.gitCommit,
    gitDirty: row.gitDirty,
    queuedAt: row.queuedAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    heartbeatAt: row.heartbeatAt,
    lastEpoch: row.lastEpoch,
    objective: row.objective,
    suggestion: (row.suggestion ?? null) as unknown as RunSuggestion | null,
  };
}

function toSweep(row: SweepRow): SweepRecord {
  return {
    ...row,
    spec: row.spec as JsonObject,
    objectiveMode: row.objectiveMode === 'min' ? 'min' : 'max',
  };
}

function asStatus(value: string): RunStatus {
  if ((RUN_STATUSES as readonly string[]).includes(value)) return value as RunStatus;
  throw new LtlabError('STORE.CONFLICT', `Unknown run status '${value}' in the database.`);
}

function parameterValue(param: { valueType: string; valueNum: number | null; valueText: string | null }): JsonValue {
  switch (param.valueType) {
    case 'number':
      return param.valueNum;
    case 'boolean':
      return param.valueNum === 1;
    case 'json':
      return JSON.parse(param.valueText ?? 'null') as JsonValue;
    case 'null':
      return null;
    default:
      return param.valueText;
  }
}

/** Optional fields come back from SQL as null; the public records leave them out instead. */
function dropNulls<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}
