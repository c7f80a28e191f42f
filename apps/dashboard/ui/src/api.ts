import type {
  CellValue,
  CheckpointView,
  ColumnFilter,
  EpochAxis,
  MetricPointInput,
  RunRecord,
  RunStatus,
  RunDetail as StoredRunDetail,
  TableColumns,
  Wire,
} from '@ltlab/store/wire';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SegmentationResult } from './pages/segmentation-summary.js';

/**
 * What the HTTP API sends, as the store's wire types (`@ltlab/store/wire`, imported as types
 * only: the bundle loads nothing of the store) in the form JSON carries them (`Wire`: dates as
 * ISO text).
 */
export type Cell = CellValue;
export { columnLabel, STATUSES } from './column-names.js';
export type { RunStatus };
export type Run = Wire<RunRecord>;
export type Filter = ColumnFilter;
export type Columns = TableColumns;
export type MetricPoint = Wire<MetricPointInput>;

type StoredEvaluation = Wire<StoredRunDetail['evaluations'][number]>;

/**
 * An evaluation as the run and compare pages read it: the stored one, its per-class results and
 * confusion matrix in the shape the trainer writes them (the store keeps them as plain JSON).
 */
export interface Evaluation extends Omit<StoredEvaluation, 'perClass' | 'confusion' | 'segmentation'> {
  perClass?: { accuracy?: number[]; trainCounts?: number[] };
  confusion?: number[][];
  segmentation?: SegmentationResult;
}

/** `GET /api/runs/compare` lists these: the stored detail, evaluations as the pages read them. */
export interface RunDetail extends Omit<Wire<StoredRunDetail>, 'evaluations'> {
  evaluations: Evaluation[];
}

/** `GET /api/runs/<id>`: the detail, plus what the run page shows beside it. */
export interface RunPageData extends RunDetail {
  /** The epochs the charts span, from 1 (1..8 for an 8-epoch run). */
  epochs: EpochAxis;
  /** The checkpoint files on disk, and best.ckpt with what chose it ("best by top1 on validation"). */
  checkpoints: Wire<CheckpointView>;
  /** The tail of the run's console.log; null when there is none. */
  console: string[] | null;
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
