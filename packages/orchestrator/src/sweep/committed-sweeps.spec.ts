import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classificationConfigOf } from '@ltlab/config';
import { describe, expect, it } from 'vitest';
import { loadSweepFile } from './load-sweep-file.js';

const sweepsDir = fileURLToPath(new URL('../../../../configs/sweeps', import.meta.url));

describe('sweeps under configs/sweeps', () => {
  it.each(readdirSync(sweepsDir).filter((name) => name.endsWith('.yaml')))(
    '%s expands into valid runs',
    async (name) => {
      const loaded = await loadSweepFile(join(sweepsDir, name));
      expect(loaded.expanded.runs.length).toBeGreaterThan(0);
    },
  );

  it('the main job compares four methods on fmnist-lt-small', async () => {
    const { expanded } = await loadSweepFile(join(sweepsDir, 'fmnist-lt-small-methods.yaml'));
    expect(expanded.runs.map((run) => classificationConfigOf(run.config).method.loss)).toEqual([
      'cross-entropy',
      'balanced-softmax',
      'ldam',
      'reslt',
    ]);
    expect(expanded.runs.every((run) => classificationConfigOf(run.config).data.longTail?.imgMax === 1000)).toBe(true);
    // The variants set `method: {...}`; what is recorded as swept is every leaf that differs.
    expect(expanded.sweptKeys).toEqual([
      'method.loss',
      'method.options.maxM',
      'method.options.s',
      'method.drw.startEpoch',
      'method.drw.beta',
      'method.options.beta',
      'method.options.mediumTailRange',
      'method.options.tailRange',
    ]);
  });
});
