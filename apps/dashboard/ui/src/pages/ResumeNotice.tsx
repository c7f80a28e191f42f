import type { RejectedCheckpointRecord } from '@ltlab/store/wire';
/** A checkpoint the run's latest attempt rejected, as `GET /api/runs/<id>` lists it. */
export type RejectedCheckpointView = RejectedCheckpointRecord;

/** The file name of a checkpoint path: `epoch-00004.ckpt`. */
function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * How the run's latest attempt began (docs/architecture.md §7): the checkpoint it resumed from,
 * and a warning listing each checkpoint it rejected with the reason, or saying that it rejected
 * them all and trained again from epoch 1. Strings reach the page as React text only.
 */
export function ResumeNotice({
  resumedFrom,
  rejected,
}: {
  resumedFrom: string | null;
  rejected: readonly RejectedCheckpointView[];
}) {
  const count = rejected.length;
  const headline =
    resumedFrom !== null
      ? `Rejected ${count === 1 ? 'a newer checkpoint' : `${count} newer checkpoints`}:`
      : `${count === 1 ? 'The only checkpoint was' : `All ${count} checkpoints were`} rejected: training started again from epoch 1.`;
  return (
    <>
      {resumedFrom !== null && (
        <p data-testid="resumed-from" title={resumedFrom}>
          Resumed from {fileName(resumedFrom)}
        </p>
      )}
      {count > 0 && (
        <div className="warning" data-testid="rejected-checkpoints">
          <strong>{headline}</strong>
          <ul>
            {rejected.map((checkpoint) => (
              <li key={checkpoint.file} data-testid="rejected-checkpoint" title={checkpoint.file}>
                {fileName(checkpoint.file)}: {checkpoint.reason} ({checkpoint.code})
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
