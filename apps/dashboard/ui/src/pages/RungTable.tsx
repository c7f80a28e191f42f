import type { RungTable as RungTableData } from '@ltlab/store/wire';
import { formatCell } from '../api.js';

/**
 * The sweep's early-stopping table (docs/architecture.md §3): for ASHA each rung with the runs that
 * reached it, the cut-off a run had to match to continue, and how many were promoted or stopped
 * there; for the median rule each epoch's median of the runs' best values so far and how many
 * runs it stopped. The stopped runs' ids are each count's tooltip.
 */
export function RungTable({ table }: { table: RungTableData }) {
  const { metric, mode } = table.objective;
  return (
    <section className="card" data-testid="rung-table">
      {table.rule === 'asha' ? (
        <>
          <h2>Early stopping: ASHA rungs</h2>
          <p style={{ color: '#5b6475' }}>
            Rungs at {table.gracePeriod} × {table.reductionFactor}
            <sup>k</sup> epochs; at each, a run continues if its {metric} is in the top 1/{table.reductionFactor} (
            {mode}) of the runs that reached the rung before it.
          </p>
          <table>
            <thead>
              <tr>
                <th>rung (epoch)</th>
                <th>reached</th>
                <th>cut-off</th>
                <th>promoted</th>
                <th>stopped</th>
              </tr>
            </thead>
            <tbody>
              {table.rungs.map((rung) => (
                <tr key={rung.epoch} data-testid="rung-row">
                  <td className="num">{rung.epoch}</td>
                  <td className="num">{rung.reached}</td>
                  <td className="num">{rung.cutoff === null ? '—' : formatCell(rung.cutoff)}</td>
                  <td className="num">{rung.promoted}</td>
                  <td className="num status-stopped" title={rung.stopped.join('\n')}>
                    {rung.stopped.length}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <>
          <h2>Early stopping: median rule</h2>
          <p style={{ color: '#5b6475' }}>
            From epoch {table.minEpochs}, a run whose best {metric} so far is worse ({mode}) than the median of at least{' '}
            {table.minRuns} other runs at that epoch is stopped.
          </p>
          <table>
            <thead>
              <tr>
                <th>epoch</th>
                <th>reached</th>
                <th>median of best so far</th>
                <th>stopped</th>
              </tr>
            </thead>
            <tbody>
              {table.epochs.map((row) => (
                <tr key={row.epoch} data-testid="rung-row">
                  <td className="num">{row.epoch}</td>
                  <td className="num">{row.reached}</td>
                  <td className="num">{row.median === null ? '—' : formatCell(row.median)}</td>
                  <td className="num status-stopped" title={row.stopped.join('\n')}>
                    {row.stopped.length}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {(table.rule === 'asha' ? table.rungs : table.epochs).length === 0 && <p>No objective values recorded yet.</p>}
    </section>
  );
}
