import { useCallback, useEffect, useRef, useState } from 'react';

export type Cell = string | number | boolean | null;
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const STATUSES: RunStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

export interface Run {
  id: string;
  sweepId: string | null;
  label: string;
  status: RunStatus;
  config: Record<string, unknown>;
  attempt: number;
  node: string | null;
  slot: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
  lastEpoch: number | null;
  objective: number | null;
}

export interface Filter {
  column: string;
  equals?: string | number | boolean;
  in?: Array<string | number | boolean>;
  min?: number;
  max?: number;
  contains?: string;
}

export interface Columns {
  hyperparameters: Array<{ key: string; swept: boolean; numeric: boolean }>;
  metrics: Array<{ split: string; name: string }>;
  evaluationSplits: string[];
}

export interface MetricPoint {
  name: string;
  split: string;
  step: number;
  epoch: number;
  value: number;
  wallTime: string;
}

export interface Evaluation {
  split: string;
  epoch: number;
  top1: number;
  top5?: number;
  many?: number;
  medium?: number;
  few?: number;
  perClass?: { accuracy?: number[]; trainCounts?: number[] };
  confusion?: number[][];
}

export interface CheckpointFile {
  path: string;
  /** `epoch`: a file checkpoint.keepLast kept; `best`: best.ckpt. */
  file: 'epoch' | 'best';
  epoch: number | null;
  sizeBytes: number | null;
}

export interface RunDetail {
  run: Run;
  hyperparameters: Array<{ key: string; value: unknown; swept: boolean }>;
  metrics: MetricPoint[];
  evaluations: Evaluation[];
  /** Every artifact ever recorded, deleted files included (`removedAt`). */
  artifacts: Array<{ path: string; kind: string; epoch?: number; sizeBytes?: number; removedAt?: string }>;
  console?: string[] | null;
  /** The checkpoint the latest attempt resumed from (relative to the artifact root); null: from epoch 1. */
  resumedFrom?: string | null;
  /** The checkpoints that attempt rejected, newest first, and why (damaged, or not of this run). */
  rejectedCheckpoints?: Array<{ file: string; code: string; reason: string }>;
}

/** `GET /api/runs/<id>`: the detail, plus what the run page shows beside it. */
export interface RunPageData extends RunDetail {
  /** The epochs the charts span, from 1 (1..8 for an 8-epoch run). */
  epochs: { min: number; max: number };
  /** The checkpoint files on disk, and best.ckpt with what chose it ("best by top1 on validation"). */
  checkpoints: {
    files: CheckpointFile[];
    best:
      | (CheckpointFile & {
          selection: { metric: string; split: string; mode: string; value: number | null } | null;
          basis: string;
        })
      | null;
  };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path);
  const body = (await response.json()) as T & { error?: { code: string; message: string; fix?: string } };
  if (!response.ok) throw apiError(response, body.error);
  return body;
}

/**
 * POSTs JSON. The token never reaches script: a browser holds the HttpOnly session cookie it
 * got by opening the dashboard with `?token=`, and sends it (and its Origin) by itself.
 */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json()) as T & { error?: { code: string; message: string; fix?: string } };
  if (!response.ok) throw apiError(response, parsed.error);
  return parsed;
}

/** Sent on `window` when the server asks for the token; the app shows how to get in once, above every page. */
export const UNAUTHORIZED_EVENT = 'ltlab:unauthorized';

function apiError(response: Response, error: { code: string; message: string; fix?: string } | undefined): ApiError {
  const message = error?.message ?? response.statusText;
  // A 401 says how to get in (open the dashboard once with ?token=...).
  const fix = response.status === 401 && error?.fix !== undefined ? ` ${error.fix}` : '';
  if (response.status === 401)
    window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT, { detail: `${message}${fix}` }));
  return new ApiError(response.status, error?.code ?? 'HTTP', `${message}${fix}`);
}

/** What `GET /api/health` says of the server: whether changes are possible at all. */
export interface ServerInfo {
  tokenRequired: boolean;
  /** A queue is attached: retry works (without one, cancel only marks runs in the store). */
  queue: boolean;
  /** `ltlab serve --read-only`: every change is refused, so no page offers one. */
  readOnly: boolean;
}

/** The server's info, fetched once per page; null until it arrives. */
export function useServerInfo(): ServerInfo | null {
  return useFetch<ServerInfo>('api/health').data;
}

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, String(value));
  return search.toString();
}

/** Counts changes the server reports over SSE; a page refetches when it moves. */
export function useLiveVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const source = new EventSource('api/events');
    source.addEventListener('change', () => setVersion((v) => v + 1));
    return () => source.close();
  }, []);
  return version;
}

/** Fetches `path` whenever it or `version` changes; keeps the last data while reloading. */
export function useFetch<T>(
  path: string | null,
  version = 0,
): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version and tick only trigger a refetch.
  useEffect(() => {
    if (path === null) return;
    const id = ++latest.current;
    getJson<T>(path)
      .then((result) => {
        if (id === latest.current) {
          setData(result);
          setError(null);
        }
      })
      .catch((e: unknown) => {
        if (id === latest.current) setError(e instanceof Error ? e.message : String(e));
      });
  }, [path, version, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload };
}

export function formatCell(value: Cell | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  return String(value);
}

export function columnLabel(ref: string): string {
  if (ref.startsWith('hp:')) return ref.slice(3);
  if (ref.startsWith('eval:')) return ref.slice(5).replace(':', ' ');
  if (ref.startsWith('metric:')) return ref.slice(7).replace(':', ' ');
  return ref.slice(4);
}
