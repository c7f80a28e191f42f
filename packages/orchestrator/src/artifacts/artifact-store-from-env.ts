import type { ArtifactStore } from './artifact-store.js';
import { HttpArtifactStore } from './http-artifact-store.js';

/**
 * A worker's artifact store from its environment: `LTLAB_ARTIFACT_URL` (the control host's
 * dashboard address) with the dashboard's token `LTLAB_TOKEN` makes the HTTP client of
 * `ltlab serve`'s artifact service; without it, null: the worker's `LTLAB_ARTIFACTS` directory is
 * itself the shared storage (one box, or NFS), as before.
 */
export function artifactStoreFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  log?: (line: string) => void,
): ArtifactStore | null {
  const url = env.LTLAB_ARTIFACT_URL?.trim();
  if (url === undefined || url === '') return null;
  const token = env.LTLAB_TOKEN?.trim();
  return new HttpArtifactStore({
    url,
    ...(token === undefined || token === '' ? {} : { token }),
    ...(log === undefined ? {} : { log }),
  });
}
