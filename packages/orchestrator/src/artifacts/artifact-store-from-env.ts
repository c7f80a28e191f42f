import { LtlabError } from '@ltlab/core';
import type { ArtifactStore } from './artifact-store.js';
import { HttpArtifactStore } from './http-artifact-store.js';

/**
 * A worker's artifact store from its environment: `LTLAB_ARTIFACT_URL` (the control host's
 * dashboard address) with the dashboard's token `LTLAB_TOKEN` makes the HTTP client of
 * `ltlab serve`'s artifact service, with `LTLAB_ARTIFACT_ATTEMPTS` tries per transfer (default 8,
 * about 30 s of backoff; docs/deploy.md "Artifacts across hosts"); without it, null: the
 * worker's `LTLAB_ARTIFACTS` directory is itself the shared storage (one box, or NFS), as before.
 */
export function artifactStoreFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  log?: (line: string) => void,
): ArtifactStore | null {
  const url = env.LTLAB_ARTIFACT_URL?.trim();
  if (url === undefined || url === '') return null;
  const token = env.LTLAB_TOKEN?.trim();
  const attempts = attemptsFromEnv(env.LTLAB_ARTIFACT_ATTEMPTS);
  return new HttpArtifactStore({
    url,
    ...(token === undefined || token === '' ? {} : { token }),
    ...(attempts === undefined ? {} : { attempts }),
    ...(log === undefined ? {} : { log }),
  });
}

function attemptsFromEnv(raw: string | undefined): number | undefined {
  const text = raw?.trim();
  if (text === undefined || text === '') return undefined;
  const attempts = Number(text);
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `LTLAB_ARTIFACT_ATTEMPTS ${JSON.stringify(raw)} is not a whole number from 1 to 100.`,
      {
        fix: 'Set LTLAB_ARTIFACT_ATTEMPTS to the tries per checkpoint transfer (default 8), or unset it.',
        details: { field: 'LTLAB_ARTIFACT_ATTEMPTS' },
      },
    );
  }
  return attempts;
}
