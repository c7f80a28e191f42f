import type { Wire, WorkerRecord } from '@ltlab/store/wire';
import { useState } from 'react';
import { postJson, type Run, type RunStatus, STATUSES, useFetch, useLiveVersion, useServerInfo } from '../api.js';

/** A worker as `GET /api/workers` lists it: its heartbeat record, whether it is stale, its run. */
interface Worker extends Wire<WorkerRecord> {
  stale: boolean;
  currentRun: Run | null;
}

export function QueuePage() {
  const version = useLiveVersion();
  const server = useServerInfo();
  // A read-only viewer refuses every change: it offers none.
  const canCancel = server !== null && !server.readOnly;
  const canRetry = canCancel && server.queue;
  const { data, error, reload } = useFetch<{ queue: Record<RunStatus, number>; workers: Worker[] }>(
    'api/workers',
    version,
  );
  const [message, setMessage] = useState<string | null>(null);
  const act = async (action: 'cancel' | 'retry', id: string) => {
    try {
      const result = await postJson<Record<string, number>>(`api/runs/${action}`, { ids: [id] });
      setMessage(`${action} ${id}: ${Object.values(result)[0] ?? 0}`);
      reload();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="card">
      <h1>Queue</h1>
      {error !== null && <p className="error">{error}</p>}
      {message !== null && <p>{message}</p>}
      <p data-testid="queue-counts">{data === null ? '' : STATUSES.map((s) => `${data.queue[s]} ${s}`).join(' · ')}</p>
      <table data-testid="workers">
        <thead>
          <tr>
            <th>node</th>
            <th>slot</th>
            <th>device</th>
            <th>status</th>
            <th>heartbeat</th>
            <th>current job</th>
            <th>data sets</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(data?.workers ?? []).map((w) => (
            <tr key={w.id}>
              <td>{w.node}</td>
              <td>{w.slot}</td>
              <td>{w.device ?? '—'}</td>
              <td>{w.status}</td>
              <td className={w.stale ? 'error' : ''}>
                {Math.round((Date.now() - Date.parse(w.heartbeatAt)) / 1000)} s ago{w.stale ? ' (stale)' : ''}
              </td>
              <td>
                {w.currentRun === null ? (
                  '—'
                ) : (
                  <a href={`#/runs/${encodeURIComponent(w.currentRun.id)}`}>{w.currentRun.label}</a>
                )}
              </td>
              <td>
                <DataSources sources={w.dataSources} />
              </td>
              <td>
                {w.currentRun !== null && canCancel && (
                  <button
                    type="button"
                    data-testid="cancel-run"
                    onClick={() => void act('cancel', w.currentRun?.id ?? '')}
                  >
                    Cancel
                  </button>
                )}{' '}
                {w.currentRun !== null && canRetry && (
                  <button
                    type="button"
                    data-testid="retry-run"
                    onClick={() => void act('retry', w.currentRun?.id ?? '')}
                  >
                    Retry
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The data sets the worker's host reported (checked at its start and for each run it was given):
 * present or missing, with the path and where it came from; a missing one names the first file
 * not found (docs/deploy.md, "Data sets on every node").
 */
function DataSources({ sources }: { sources: Worker['dataSources'] }) {
  if (sources === undefined || sources.length === 0) return <>—</>;
  return (
    <ul className="data-sources" data-testid="data-sources">
      {sources.map((s) => (
        <li
          key={`${s.source}:${s.path ?? ''}`}
          data-testid="data-source"
          data-present={s.present ? 'true' : 'false'}
          className={s.present ? '' : 'error'}
          title={`${s.via}; ${s.origin}`}
        >
          {s.present ? '✓' : '✗'} {s.source} {s.path ?? `(no path: set ${s.via})`}
          {!s.present && s.missing !== null && ` (missing ${s.missing})`}
        </li>
      ))}
    </ul>
  );
}
