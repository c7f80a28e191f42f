import type { ColumnFilter } from '@ltlab/store/wire';
import * as z from 'zod/mini';
import { COLUMN_KINDS, STATUSES } from './column-names.js';

/**
 * What the runs page shows, kept in the URL (`#/runs?sweep=…&filters=…&sort=…&group=…`) so a
 * view can be shared and survives a reload. Each part is read on its own: a bad part of a
 * hand-edited link falls back to its default and leaves the others alone.
 */
/** A column filter as the API takes it: the store's filter model. */
export type Filter = ColumnFilter;

export interface RunsView {
  /** The sweep whose runs are shown; absent: every run. */
  sweep?: string;
  /** A run status, or '' for any. */
  status: string;
  filters: Filter[];
  sort: { column: string; dir: 'asc' | 'desc' } | null;
  /** '' (no grouping), `hp:<key>`, or `ALL_BUT_SEEDS`. */
  group: string;
  /** Columns shown, in order; null: the defaults for the sweep. */
  columns: string[] | null;
  offset: number;
  /** The metric series of the grouped curves (`metric:<split>:<name>`); null: the default. */
  curve: string | null;
}

/** Group by every hyperparameter that differs between the runs shown, except seeds. */
export const ALL_BUT_SEEDS = 'all-but-seeds';

export const DEFAULT_VIEW: RunsView = {
  status: '',
  filters: [],
  sort: null,
  group: '',
  columns: null,
  offset: 0,
  curve: null,
};

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const filtersSchema = z.array(
  z.object({
    column: z.string().check(z.minLength(3)),
    equals: z.optional(scalar),
    in: z.optional(z.array(scalar)),
    min: z.optional(z.number()),
    max: z.optional(z.number()),
    contains: z.optional(z.string()),
  }),
);
const statusSchema = z.enum(STATUSES);
const columnSchema = z.string().check(z.regex(new RegExp(`^(${COLUMN_KINDS.join('|')}):.+$`)));
const offsetSchema = z.coerce.number().check(z.int(), z.nonnegative());

function parse<T>(schema: z.ZodMiniType<T>, value: unknown, fallback: T): T {
  const result = schema.safeParse(value);
  return result.success ? result.data : fallback;
}

function json(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function readRunsView(params: URLSearchParams): RunsView {
  const sortColumn = parse(columnSchema, params.get('sort'), null);
  const columns = params.get('columns');
  const group = params.get('group') ?? '';
  const curve = params.get('curve');
  const sweep = params.get('sweep');
  return {
    ...(sweep === null || sweep === '' ? {} : { sweep }),
    status: parse(statusSchema, params.get('status'), ''),
    filters: parse(filtersSchema, json(params.get('filters')), []).map(withoutUndefined),
    sort: sortColumn === null ? null : { column: sortColumn, dir: params.get('dir') === 'desc' ? 'desc' : 'asc' },
    group: group === ALL_BUT_SEEDS || /^hp:.+$/.test(group) ? group : '',
    columns: columns === null ? null : columns.split(',').filter((column) => columnSchema.safeParse(column).success),
    offset: parse(offsetSchema, params.get('offset') ?? 0, 0),
    curve: curve !== null && /^metric:[^:]+:.+$/.test(curve) ? curve : null,
  };
}

/** The URL parameters of a view; defaults are left out so links stay short. */
export function runsViewParams(view: RunsView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.sweep !== undefined) params.set('sweep', view.sweep);
  if (view.status !== '') params.set('status', view.status);
  if (view.filters.length > 0) params.set('filters', JSON.stringify(view.filters));
  if (view.sort !== null) {
    params.set('sort', view.sort.column);
    params.set('dir', view.sort.dir);
  }
  if (view.group !== '') params.set('group', view.group);
  if (view.columns !== null) params.set('columns', view.columns.join(','));
  if (view.offset > 0) params.set('offset', String(view.offset));
  if (view.curve !== null) params.set('curve', view.curve);
  return params;
}

/** A seed of the run, of its long-tail subsample, sampler or validation split. */
export function isSeedKey(key: string): boolean {
  return key === 'seed' || key.endsWith('.seed');
}

/** The keys a view groups by: its one key, or every varying key but the seeds. */
export function groupKeys(group: string, varying: readonly string[] | null): string[] | null {
  if (group === '') return null;
  if (group !== ALL_BUT_SEEDS) return [group.slice(3)];
  return varying === null ? null : varying.filter((key) => !isSeedKey(key));
}

/** zod leaves absent optional keys as undefined; `Filter` (exact optional types) has them absent. */
function withoutUndefined(filter: { [K in keyof Filter]?: Filter[K] | undefined }): Filter {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as unknown as Filter;
}
