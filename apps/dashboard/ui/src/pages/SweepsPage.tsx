import type { SweepRecord, Wire } from '@ltlab/store/wire';
import { formatCell, type RunStatus, STATUSES, useFetch, useLiveVersion } from '../api.js';

/** A sweep as `GET /api/sweeps` lists it: its record, its runs per status and its best run. */
interface SweepSummary extends Wire<SweepRecord> {
  counts: Record<RunStatus, number>;
  best: { id: string; label: string; objective: number | null } | null;
}

export function Progress({ counts }: { counts: Record<RunStatus, number> }) {
  const total = STATUSES.reduce((sum, status) => sum + counts[status], 0);
  return (
    <div>
      <div className="progress" title={STATUSES.map((s) => `${s}: ${counts[s]}`).join(', ')}>
        {(['succeeded', 'stopped', 'running', 'failed', 'cancelled', 'queued'] as const).map((status) => (
          <span
            key={status}
            className={status}
            style={{ width: `${total === 0 ? 0 : (100 * counts[status]) / total}%` }}
          />
        ))}
      </div>
      <small data-testid="sweep-counts">{STATUSES.map((status) => `${counts[status]} ${status}`).join(' · ')}</small>
    </div>
  );
}

export function SweepsPage() {
  const version = useLiveVersion();
  const { data, error } = useFetch<{ sweeps: SweepSummary[] }>('api/sweeps', version);
  return (
    <section className="card">
      <h1>Sweeps</h1>
      {error !== null && <p className="error">{error}</p>}
      <table data-testid="sweeps-table">
        <thead>
          <tr>
            <th>Sweep</th>
            <th>Objective</th>
            <th>Progress</th>
            <th>Best run</th>
          </tr>
        </thead>
        <tbody>
          {(data?.sweeps ?? []).map((sweep) => (
            <tr key={sweep.id}>
              <td>
                <a href={`#/sweeps/${encodeURIComponent(sweep.id)}`}>{sweep.name}</a>
              </td>
              <td>
                {sweep.objectiveMode} {sweep.objectiveMetric}
              </td>
              <td>
                <Progress counts={sweep.counts} />
              </td>
              <td>
                {sweep.best === null ? (
                  '—'
                ) : (
                  <a href={`#/runs/${encodeURIComponent(sweep.best.id)}`}>
                    {sweep.best.label} ({formatCell(sweep.best.objective)})
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
