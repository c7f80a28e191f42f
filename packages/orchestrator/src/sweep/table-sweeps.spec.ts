import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile, parseRunConfig, runConfigHash } from '@ltlab/config';
import { describe, expect, it } from 'vitest';
import { loadSweepFile } from './load-sweep-file.js';

const configsDir = fileURLToPath(new URL('../../../../configs', import.meta.url));

// The README's results tables come from these sweeps: a variant that drifted from its recipe file
// would put numbers under a recipe that did not produce them.
describe.each([
  { sweep: 'fmnist-lt-small-table.yaml', profile: 'small' },
  { sweep: 'fmnist-lt-table.yaml', profile: 'full' },
])('$sweep', ({ sweep, profile }) => {
  it('runs each recipe of its profile with seeds 0, 1 and 2, as the recipe file says', async () => {
    const { expanded } = await loadSweepFile(join(configsDir, 'sweeps', sweep));
    const variants = ['ce', 'balanced-softmax', 'ldam-drw', 'paco', 'reslt'];
    expect(expanded.runs.map((run) => run.label)).toEqual(
      variants.flatMap((variant) => [0, 1, 2].map((seed) => `${variant} seed=${seed}`)),
    );
    for (const variant of variants) {
      const recipe = await loadConfigFile(join(configsDir, 'fashion-mnist-lt', profile, `${variant}.yaml`));
      for (const seed of [0, 1, 2]) {
        const expected = runConfigHash(parseRunConfig({ ...recipe, seed }, `${variant} seed ${seed}`));
        const run = expanded.runs.find((r) => r.label === `${variant} seed=${seed}`);
        expect(run?.fingerprint, `${variant} seed ${seed}`).toBe(expected);
      }
    }
  });
});
