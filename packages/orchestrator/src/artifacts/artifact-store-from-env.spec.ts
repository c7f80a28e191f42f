import { describe, expect, it } from 'vitest';
import { artifactStoreFromEnv } from './artifact-store-from-env.js';
import { HttpArtifactStore } from './http-artifact-store.js';

describe('artifactStoreFromEnv', () => {
  it('is null without LTLAB_ARTIFACT_URL: the artifact root is the shared storage', () => {
    expect(artifactStoreFromEnv({ LTLAB_ARTIFACT_URL: '  ' })).toBeNull();
  });

  it('makes the HTTP client of the artifact service, with LTLAB_ARTIFACT_ATTEMPTS tries per transfer', async () => {
    // Port 1 on loopback refuses at once: every try fails, and the error counts them.
    const store = artifactStoreFromEnv({
      LTLAB_ARTIFACT_URL: 'http://127.0.0.1:1',
      LTLAB_TOKEN: 'secret',
      LTLAB_ARTIFACT_ATTEMPTS: '2',
    });
    expect(store).toBeInstanceOf(HttpArtifactStore);
    expect(store?.location).toBe('http://127.0.0.1:1/');
    await expect(store?.list('some-run')).rejects.toMatchObject({
      code: 'CHECKPOINT.UNAVAILABLE',
      message: expect.stringContaining('in 2 tries'),
    });
  });

  it.each(['0', '2.5', 'many', '101'])('refuses LTLAB_ARTIFACT_ATTEMPTS=%s, naming the variable', (value) => {
    expect(() =>
      artifactStoreFromEnv({ LTLAB_ARTIFACT_URL: 'http://10.0.0.10:7420/', LTLAB_ARTIFACT_ATTEMPTS: value }),
    ).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID', message: expect.stringContaining('LTLAB_ARTIFACT_ATTEMPTS') }),
    );
  });
});
