import type { RunGroup as Group, RunTablePage, Wire } from '@ltlab/store/wire';
import { useCallback, useEffect, useState } from 'react';
import {
  type Cell,
  type Columns,
  columnLabel,
  type Filter,
  formatCell,
  postJson,
  query,
  STATUSES,
  useFetch,
  useLiveVersion,
  useServerInfo,
} from '../api.js';
import { Chart } from '../Chart.js';
import { EVALUATION_ACCURACIES, isNumericColumn } from '../column-names.js';
import { ALL_BUT_SEEDS, groupKeys, isSeedKey, type RunsView, readRunsView, runsViewParams } from '../runs-view.js';
import { bandOption, type GroupCurve, groupColor } from './group-bands.js';

/** `GET /api/runs`: one page of the runs table. */
type Page = Wire<RunTablePage>;
interface Curves {
  runs: number;
  groups: Array<{ key: Record<string, Cell>; n: number; points: GroupCurve['points'] }>;
}

const PAGE_SIZE = 50;

function allColumns(columns: Columns): string[] {
  return [
    'run:status',
    'run:objective',
    'run:lastEpoch',
    'run:node',
    'run:errorCode',
    'run:startedAt',
    ...columns.hyperparameters.map((p) => `hp:${p.key}`),
    ...columns.evaluationSplits.flatMap((split) => EVALUATION_ACCURACIES.map((f) => `eval:${split}:${f}`)),
    ...columns.metrics.map((m) => `metric:${m.split}:${m.name}`),
  ];
}

function defaultColumns(columns: Columns): string[] {
  const swept = columns.hyperparameters.filter((p) => p.swept).map((p) => `hp:${p.key}`);
  const split = columns.evaluationSplits.includes('val') ? 'val' : columns.evaluationSplits[0];
  const evals =
    split === undefined ? [] : EVALUATION_ACCURACIES.filter((f) => f !== 'top5').map((f) => `eval:${split}:${f}`);
  return ['run:status', ...swept, ...evals, 'run:objective'];
}

/** The metric series the grouped curves start with: validation top-1, else test top-1, else the first. */
function defaultCurve(columns: Columns): string | null {
  const refs = columns.metrics.map((m) => `metric:${m.split}:${m.name}`);
  return refs.find((r) => r === 'metric:val:top1') ?? refs.find((r) => r === 'metric:test:top1') ?? refs[0] ?? null;
}

function describeFilter(filter: Filter): string {
  const name = columnLabel(filter.column);
  if (filter.equals !== undefined) return `${name} = ${String(filter.equals)}`;
  if (filter.contains !== undefined) return `${name} ∋ ${filter.contains}`;
  if (filter.in !== undefined) return `${name} ∈ {${filter.in.join(', ')}}`;
  return [
    filter.min === undefined ? '' : `${name} ≥ ${filter.min}`,
    filter.max === undefined ? '' : `${name} ≤ ${filter.max}`,
  ]
    .filter(Boolean)
    .join(', ');
}

function groupLabel(key: Record<string, Cell>, keys: readonly string[]): string {
  return keys.length === 0 ? 'all runs' : keys.map((k) => formatCell(key[k] ?? null)).join(' · ');
}

function hashParams(): URLSearchParams {
  const hash = window.location.hash;
  const at = hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
}

/**
 * The view lives in the URL: read from it (and again when a link changes it), written back on
 * every change with replaceState, so the back button leaves the page rather than undoing a filter.
 * The sweep is part of the view, read with the rest, so a link to another sweep starts afresh.
 */
function useRunsView(): [RunsView, (change: Partial<RunsView>) => void] {
  const [view, setView] = useState<RunsView>(() => readRunsView(hashParams()));
  useEffect(() => {
    const onHashChange = () => {
      if (window.location.hash.startsWith('#/runs?') || window.location.hash === '#/runs')
        setView(readRunsView(hashParams()));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  useEffect(() => {
    const params = runsViewParams(view).toString();
    const target = params === '' ? '#/runs' : `#/runs?${params}`;
    if (window.location.hash !== target) window.history.replaceState(null, '', target);
  }, [view]);
  const change = useCallback((patch: Partial<RunsView>) => setView((current) => ({ ...current, ...patch })), []);
  return [view, change];
}

/** `#/runs?sweep=…&…`: the router's `sweep` is the URL's, which the view reads itself. */
export function RunsPage(_route: { sweep?: string | undefined }) {
  const version = useLiveVersion();
  const server = useServerInfo();
  const [view, change] = useRunsView();
  const { sweep } = view;
  const { data: columns } = useFetch<Columns>(`api/columns?${query({ sweep })}`);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [showChooser, setShowChooser] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [draft, setDraft] = useState({ column: '', op: '=', value: '' });
  const { filters, sort, offset } = view;

  const shownColumns = view.columns ?? (columns === null ? [] : defaultColumns(columns));
  const scope = {
    sweep,
    status: view.status === '' ? undefined : view.status,
    filters: filters.length === 0 ? undefined : JSON.stringify(filters),
  };
  const tableQuery = query({
    ...scope,
    columns: shownColumns.join(','),
    sort: sort?.column,
    dir: sort?.dir,
    limit: PAGE_SIZE,
    offset,
  });
  const { data: page, error } = useFetch<Page>(columns === null ? null : `api/runs?${tableQuery}`, version);

  const { data: varying } = useFetch<{ keys: string[] }>(
    view.group === ALL_BUT_SEEDS ? `api/columns/varying?${query(scope)}` : null,
    version,
  );
  const keys = groupKeys(view.group, varying?.keys ?? null);
  // Group keys are the rows' names, and a mean of seeds means nothing: neither is summarised.
  const keyColumns = new Set((keys ?? []).map((k) => `hp:${k}`));
  const summarised = (c: string) => !keyColumns.has(c) && !(c.startsWith('hp:') && isSeedKey(c.slice(3)));
  const numericShown = columns === null ? [] : shownColumns.filter((c) => isNumericColumn(c, columns) && summarised(c));
  const groupBy = keys?.join(',');
  const groupQuery =
    keys === null || numericShown.length === 0
      ? null
      : `api/runs/groups?${query({ ...scope, groupBy, metrics: numericShown.join(',') })}`;
  const { data: groups } = useFetch<{ groups: Group[] }>(groupQuery, version);
  const curve = view.curve ?? (columns === null ? null : defaultCurve(columns));
  const { data: curves, error: curvesError } = useFetch<Curves>(
    keys === null || curve === null ? null : `api/runs/groups/curves?${query({ ...scope, groupBy, series: curve })}`,
    version,
  );

  const addFilter = () => {
    if (draft.column === '' || draft.value === '' || columns === null) return;
    const numeric = isNumericColumn(draft.column, columns);
    const value: string | number | boolean = numeric
      ? Number(draft.value)
      : draft.value === 'true'
        ? true
        : draft.value === 'false'
          ? false
          : draft.value;
    if (numeric && Number.isNaN(value)) {
      setMessage(`${draft.value} is not a number`);
      return;
    }
    const filter: Filter =
      draft.op === '≥'
        ? { column: draft.column, min: Number(value) }
        : draft.op === '≤'
          ? { column: draft.column, max: Number(value) }
          : draft.op === 'contains'
            ? { column: draft.column, contains: draft.value }
            : { column: draft.column, equals: value };
    change({ filters: [...filters, filter], offset: 0 });
    setDraft({ ...draft, value: '' });
  };

  const toggleSort = (column: string) => {
    change({
      sort: sort?.column === column ? { column, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { column, dir: 'asc' },
      offset: 0,
    });
  };

  const act = async (action: 'cancel' | 'retry') => {
    try {
      const result = await postJson<Record<string, number>>(`api/runs/${action}`, { ids: [...selected] });
      setMessage(`${action}: ${Object.values(result)[0] ?? 0} run(s)`);
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  const available = columns === null ? [] : allColumns(columns);
  // Curves follow the table's group order, so a group keeps its colour in both.
  const groupOrder = (groups?.groups ?? []).map((g) => JSON.stringify((keys ?? []).map((k) => g.key[k] ?? null)));
  const curveGroups = [...(curves?.groups ?? [])].sort((a, b) => {
    const rank = (key: Record<string, Cell>) => {
      const index = groupOrder.indexOf(JSON.stringify((keys ?? []).map((k) => key[k] ?? null)));
      return index < 0 ? Number.MAX_SAFE_INTEGER : index;
    };
    return rank(a.key) - rank(b.key);
  });
  const colorOf = (key: Record<string, Cell>) =>
    groupColor(Math.max(0, groupOrder.indexOf(JSON.stringify((keys ?? []).map((k) => key[k] ?? null)))));
  const curveColumns = columns?.metrics.map((m) => `metric:${m.split}:${m.name}`) ?? [];
  return (
    <>
      <section className="card">
        <h1>Runs{sweep === undefined ? '' : ` of ${sweep}`}</h1>
        <div className="toolbar">
          <select
            data-testid="filter-column"
            value={draft.column}
            onChange={(e) => setDraft({ ...draft, column: e.target.value })}
          >
            <option value="">filter on…</option>
            {[...available, 'run:label'].map((c) => (
              <option key={c} value={c}>
                {columnLabel(c)}
              </option>
            ))}
          </select>
          <select data-testid="filter-op" value={draft.op} onChange={(e) => setDraft({ ...draft, op: e.target.value })}>
            {['=', '≥', '≤', 'contains'].map((op) => (
              <option key={op}>{op}</option>
            ))}
          </select>
          <input
            data-testid="filter-value"
            value={draft.value}
            placeholder="value"
            onChange={(e) => setDraft({ ...draft, value: e.target.value })}
            onKeyDown={(e) => e.key === 'Enter' && addFilter()}
          />
          <button type="button" data-testid="filter-add" onClick={addFilter}>
            Add filter
          </button>
          <select
            data-testid="status-filter"
            value={view.status}
            onChange={(e) => change({ status: e.target.value, offset: 0 })}
          >
            <option value="">any status</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
          {filters.map((f, i) => (
            <span className="chip" key={JSON.stringify(f)} data-testid="filter-chip">
              {describeFilter(f)}{' '}
              <button
                type="button"
                aria-label={`remove filter ${describeFilter(f)}`}
                onClick={() => change({ filters: filters.filter((_, j) => j !== i), offset: 0 })}
              >
                ×
              </button>
            </span>
          ))}
        </div>
        <div className="toolbar">
          <label>
            Group by{' '}
            <select data-testid="group-by" value={view.group} onChange={(e) => change({ group: e.target.value })}>
              <option value="">none</option>
              <option value={ALL_BUT_SEEDS}>everything except seeds</option>
              {(columns?.hyperparameters ?? []).map((p) => (
                <option key={p.key} value={`hp:${p.key}`}>
                  {p.key}
                </option>
              ))}
            </select>
          </label>
          <button type="button" data-testid="columns-button" onClick={() => setShowChooser(!showChooser)}>
            Columns…
          </button>
          <a
            data-testid="compare-button"
            href={
              selected.size >= 2 && selected.size <= 20
                ? `#/compare?ids=${[...selected].map(encodeURIComponent).join(',')}`
                : undefined
            }
            aria-disabled={selected.size < 2 || selected.size > 20}
          >
            Compare {selected.size} selected
          </a>
          {/* A read-only viewer refuses every change: it offers none. */}
          {server !== null && !server.readOnly && (
            <button
              type="button"
              data-testid="cancel-selected"
              disabled={selected.size === 0}
              onClick={() => void act('cancel')}
            >
              Cancel
            </button>
          )}
          {server !== null && !server.readOnly && server.queue && (
            <button
              type="button"
              data-testid="retry-selected"
              disabled={selected.size === 0}
              onClick={() => void act('retry')}
            >
              Retry
            </button>
          )}
          <a
            data-testid="export-csv"
            href={`api/runs/export.csv?${query({ ...scope, sort: sort?.column, dir: sort?.dir })}`}
            download="runs.csv"
            title="The runs of this view as `ltlab runs export` writes them: summary, then every hyperparameter"
          >
            Export CSV
          </a>
          {message !== null && <span>{message}</span>}
        </div>
        {showChooser && (
          <div className="columns-chooser" data-testid="column-chooser">
            {available.map((c) => (
              <label key={c} style={{ display: 'block' }}>
                <input
                  type="checkbox"
                  checked={shownColumns.includes(c)}
                  onChange={() =>
                    change({
                      columns: shownColumns.includes(c) ? shownColumns.filter((x) => x !== c) : [...shownColumns, c],
                    })
                  }
                />{' '}
                {columnLabel(c)}
              </label>
            ))}
          </div>
        )}
      </section>
      {keys !== null && groups !== null && groupQuery !== null && (
        <section className="card">
          <h2 data-testid="group-title">
            Grouped by{' '}
            {view.group === ALL_BUT_SEEDS
              ? `everything except seeds (${keys.length === 0 ? 'nothing else differs' : keys.join(', ')})`
              : keys.join(', ')}{' '}
            — mean ± std over the runs of each group
          </h2>
          <div className="scroll-x">
            <table data-testid="groups-table">
              <thead>
                <tr>
                  {keys.length === 0 ? <th>group</th> : keys.map((k) => <th key={k}>{k}</th>)}
                  <th>n</th>
                  {numericShown.map((c) => (
                    <th key={c}>{columnLabel(c)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {groups.groups.map((g) => (
                  <tr key={JSON.stringify(g.key)} data-testid="group-row">
                    {(keys.length === 0 ? [''] : keys).map((k, i) => (
                      <td key={k}>
                        {i === 0 && <span className="swatch" style={{ background: colorOf(g.key) }} />}
                        {k === '' ? 'all runs' : formatCell(g.key[k] ?? null)}
                      </td>
                    ))}
                    <td className="num">{g.n}</td>
                    {numericShown.map((c) => {
                      const s = g.stats[c];
                      return (
                        <td key={c} className="num">
                          {s === undefined || s.mean === null
                            ? '—'
                            : `${formatCell(s.mean)} ± ${s.std === null ? '—' : formatCell(s.std)} (n=${s.n})`}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {curve !== null && (
            <div data-testid="group-curves-card">
              <div className="toolbar" style={{ marginTop: '0.8rem' }}>
                <label>
                  Curves of{' '}
                  <select
                    data-testid="group-curve-series"
                    value={curve}
                    onChange={(e) => change({ curve: e.target.value })}
                  >
                    {curveColumns.map((c) => (
                      <option key={c} value={c}>
                        {columnLabel(c)}
                      </option>
                    ))}
                  </select>
                </label>
                <span className="caption">band: mean ± sample std per epoch; none where a group has one run</span>
              </div>
              {curvesError !== null && <p className="error">{curvesError}</p>}
              {curves !== null && (
                <Chart
                  testId="group-curves"
                  height={360}
                  option={bandOption(
                    curveGroups.map((g) => ({ label: groupLabel(g.key, keys), points: g.points })),
                    columnLabel(curve),
                    curveGroups.map((g) => colorOf(g.key)),
                  )}
                />
              )}
            </div>
          )}
        </section>
      )}
      <section className="card">
        {error !== null && <p className="error">{error}</p>}
        <div className="toolbar">
          <span data-testid="runs-total">{page?.total ?? 0} runs</span>
          <button
            type="button"
            disabled={offset === 0}
            onClick={() => change({ offset: Math.max(0, offset - PAGE_SIZE) })}
          >
            ‹ Prev
          </button>
          <span>
            {page === null || page.total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE_SIZE, page?.total ?? 0)}
          </span>
          <button
            type="button"
            disabled={page === null || offset + PAGE_SIZE >= page.total}
            onClick={() => change({ offset: offset + PAGE_SIZE })}
          >
            Next ›
          </button>
        </div>
        <div style={{ overflow: 'auto', maxHeight: '70vh' }}>
          <table data-testid="runs-table">
            <thead>
              <tr>
                <th />
                <th onClick={() => toggleSort('run:label')}>run</th>
                {shownColumns.map((c) => (
                  <th key={c} onClick={() => toggleSort(c)} data-testid={`sort-${c}`}>
                    {columnLabel(c)}
                    {sort?.column === c ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(page?.rows ?? []).map(({ run, values }) => (
                <tr key={run.id} data-testid="run-row">
                  <td>
                    <input
                      type="checkbox"
                      data-testid="select-run"
                      checked={selected.has(run.id)}
                      onChange={() => toggle(run.id)}
                    />
                  </td>
                  <td>
                    <a href={`#/runs/${encodeURIComponent(run.id)}`}>{run.label || run.id}</a>
                  </td>
                  {shownColumns.map((c) => (
                    <td
                      key={c}
                      className={
                        typeof values[c] === 'number' ? 'num' : c === 'run:status' ? `status-${String(values[c])}` : ''
                      }
                    >
                      {formatCell(values[c])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
