import type { RunProvenance, RunSuggestion, Wire } from '@ltlab/store/wire';

/**
 * Where the run ran and how it was suggested (docs/architecture.md §6): the commit and dirty
 * flag, the versions of ltlab's packages and TF.js, backend, device, Node and platform from the
 * latest attempt's `started` event, and a TPE run's suggestion record. Every string is React text.
 */
export function ProvenanceBlock({
  run,
  provenance,
}: {
  run: { gitCommit: string | null; gitDirty: boolean | null; suggestion: Wire<RunSuggestion> | null };
  provenance: Wire<RunProvenance> | null;
}) {
  const s = run.suggestion;
  if (run.gitCommit === null && provenance === null && s === null) return null;
  return (
    <section className="card" data-testid="provenance">
      <h2>Provenance</h2>
      <table>
        <tbody>
          {run.gitCommit !== null && (
            <tr>
              <th>commit</th>
              <td data-testid="provenance-commit">
                {run.gitCommit}
                {run.gitDirty === true ? ' (dirty)' : ''}
              </td>
            </tr>
          )}
          {provenance !== null && (
            <>
              <tr>
                <th>runtime</th>
                <td data-testid="provenance-runtime">
                  Node {provenance.node} on {provenance.platform}, TF.js {provenance.tfjs}
                </td>
              </tr>
              <tr>
                <th>backend</th>
                <td data-testid="provenance-backend">
                  {provenance.backend}
                  {provenance.device === null ? '' : ` (${provenance.device})`}
                </td>
              </tr>
              <tr>
                <th>packages</th>
                <td data-testid="provenance-packages">
                  {Object.entries(provenance.packages)
                    .map(([name, version]) => `${name}@${version}`)
                    .join(', ')}
                </td>
              </tr>
            </>
          )}
          {s !== null && (
            <tr>
              <th>suggestion</th>
              <td data-testid="provenance-suggestion">
                {s.algorithm} #{s.index}
                {s.algorithm === 'tpe'
                  ? ` on ${s.conditionedOn} result(s), best so far ${s.inputs.best ?? '—'}`
                  : ' (random start-up draw)'}
                {Object.keys(s.params).length > 0
                  ? `: ${Object.entries(s.params)
                      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
                      .join(' ')}`
                  : ''}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
