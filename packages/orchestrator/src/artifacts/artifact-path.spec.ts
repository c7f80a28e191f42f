import { describe, expect, it } from 'vitest';
import { checkArtifactPath, isArtifactRunId } from './artifact-path.js';

describe('checkArtifactPath', () => {
  it('splits a relative path of plain names', () => {
    expect(checkArtifactPath('sw-1a2b3c4d-0123456789ab', 'checkpoints/epoch-00004.ckpt')).toEqual([
      'checkpoints',
      'epoch-00004.ckpt',
    ]);
  });

  it.each([
    '../other/file',
    'checkpoints/../../etc/passwd',
    '/etc/passwd',
    'checkpoints//x',
    'checkpoints/',
    '.',
    '.hidden',
    'a\\b',
    'a%2f..',
    'x\u0000y',
    '',
  ])('refuses %j', (path) => {
    expect(() => checkArtifactPath('run-1', path)).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID', details: { field: 'path' } }),
    );
  });

  it('refuses run ids that are not directory names', () => {
    for (const id of ['..', '.', 'a/b', '', '-x']) {
      expect(isArtifactRunId(id)).toBe(false);
      expect(() => checkArtifactPath(id, 'f')).toThrow(expect.objectContaining({ details: { field: 'runId' } }));
    }
  });
});
