import { useEffect, useMemo, useState } from 'react';
import {
  type Cell,
  type Columns,
  columnLabel,
  type Filter,
  formatCell,
  postJson,
  query,
  type Run,
  STATUSES,
  useFetch,
  useLiveVersion,
} from '../api.js';

interface Page {
  total: number;
  rows: Array<{ run: Run; values: Record<string, Cell> }>;
}
interface Group {
  key: Record<string, Cell>;
  n: number;
  stats: Record<string, { mean: number | null; std: number | null; n: number }>;
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
    ...columns.evaluationSplits.flatMap((split) =>
      ['top1', 'top5', 'many', 'medium', 'few'].map((f) => `eval:${split}:${f}`),
    ),
    ...columns.metrics.map((m) => `metric:${m.split}:${m.name}`),
  ];
}

function defaultColumns(columns: Columns): string[] {
  const swept = columns.hyperparameters.filter((p) => p.swept).map((p) => `hp:${p.key}`);
  const split = columns.evaluationSplits.includes('val') ? 'val' : columns.evaluationSplits[0];
  const evals = split === undefined ? [] : ['top1', 'many', 'medium', 'few'].map((f) => `eval:${split}:${f}`);
  return ['run:status', ...swept, ...evals, 'run:objective'];
}

function isNumeric(ref: string, columns: Columns): boolean {
  if (ref.startsWith('hp:')) return columns.hyperparameters.find((p) => `hp:${p.key}` === ref)?.numeric ?? false;
  if (ref.startsWith('run:')) return ['run:objective', 'run:lastEpoch', 'run:attempt', 'run:ordinal'].includes(ref);
  return true;
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

export function RunsPage({ sweep }: { sweep?: string | undefined }) {
  const version = useLiveVersion();
  const { data: columns } = useFetch<Columns>(`api/columns?${query({ sweep })}`);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [filters, setFilters] = useState<Filter[]>([]);
  const [status, setStatus] = useState<string>('');
  const [sort, setSort] = useState<{ column: string; dir: 'asc' | 'desc' } | null>(null);
  const [offset, setOffset] = useState(0);
  const [groupBy, setGroupBy] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [showChooser, setShowChooser] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [draft, setDraft] = useState({ column: '', op: '=', value: '' });

  useEffect(() => {
    if (columns !== null && chosen === null) setChosen(defaultColumns(columns));
  }, [columns, chosen]);
  const shownColumns = chosen ?? [];

  const scope = {
    sweep,
    status: status === '' ? undefined : status,
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
  const { data: page, error } = useFetch<Page>(chosen === null ? null : `api/runs?${tableQuery}`, version);
  const numericShown = useMemo(
    () => (columns === null ? [] : shownColumns.filter((c) => isNumeric(c, columns) && c !== groupBy)),
    [columns, shownColumns, groupBy],
  );
  const groupQuery =
    groupBy === '' || numericShown.length === 0
      ? null
      : `api/runs/groups?${query({ ...scope, groupBy: groupBy.slice(3), metrics: numericShown.join(',') })}`;
  const { data: groups } = useFetch<{ groups: Group[] }>(groupQuery, version);

  const addFilter = () => {
    if (draft.column === '' || draft.value === '' || columns === null) return;
    const numeric = isNumeric(draft.column, columns);
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
    setFilters([...filters, filter]);
    setOffset(0);
    setDraft({ ...draft, value: '' });
  };

  const toggleSort = (column: string) => {
    setSort(sort?.column === column ? { column, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { column, dir: 'asc' });
    setOffset(0);
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
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">any status</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
          {filters.map((f, i) => (
            <span className="chip" key={JSON.stringify(f)} data-testid="filter-chip">
              {describeFilter(f)}{' '}
              <button type="button" onClick={() => setFilters(filters.filter((_, j) => j !== i))}>
                ×
              </button>
            </span>
          ))}
        </div>
        <div className="toolbar">
          <label>
            Group by{' '}
            <select data-testid="group-by" value={groupBy} onChange={(e) => setGroupBy(e.target.value)}>
              <option value="">none</option>
              {(columns?.hyperparameters ?? []).map((p) => (
                <option key={p.key} value={`hp:${p.key}`}>
                  {p.key}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => setShowChooser(!showChooser)}>
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
          <button type="button" disabled={selected.size === 0} onClick={() => void act('cancel')}>
            Cancel
          </button>
          <button type="button" disabled={selected.size === 0} onClick={() => void act('retry')}>
            Retry
          </button>
          <a
            href={`api/runs/export.csv?${query({ ...scope, columns: shownColumns.join(','), sort: sort?.column, dir: sort?.dir })}`}
            download="runs.csv"
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
                    setChosen(shownColumns.includes(c) ? shownColumns.filter((x) => x !== c) : [...shownColumns, c])
                  }
                />{' '}
                {columnLabel(c)}
              </label>
            ))}
          </div>
        )}
      </section>
      {groups !== null && groupQuery !== null && (
        <section className="card">
          <h2>Grouped by {groupBy.slice(3)} (mean ± std over runs)</h2>
          <table data-testid="groups-table">
            <thead>
              <tr>
                <th>{groupBy.slice(3)}</th>
                <th>n</th>
                {numericShown.map((c) => (
                  <th key={c}>{columnLabel(c)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {groups.groups.map((g) => (
                <tr key={JSON.stringify(g.key)} data-testid="group-row">
                  <td>{formatCell(g.key[groupBy.slice(3)] ?? null)}</td>
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
        </section>
      )}
      <section className="card">
        {error !== null && <p className="error">{error}</p>}
        <div className="toolbar">
          <span data-testid="runs-total">{page?.total ?? 0} runs</span>
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
            ‹ Prev
          </button>
          <span>
            {page === null || page.total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE_SIZE, page?.total ?? 0)}
          </span>
          <button
            type="button"
            disabled={page === null || offset + PAGE_SIZE >= page.total}
            onClick={() => setOffset(offset + PAGE_SIZE)}
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
