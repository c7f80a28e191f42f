import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { npmLsProductionNames, productionTree } from './production-tree.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CONTROL_PLANE = ['@ltlab/config', '@ltlab/store', '@ltlab/orchestrator', '@ltlab/dashboard', '@ltlab/cli'];
const isTensorflow = (name: string): boolean => name.startsWith('@tensorflow/');

// docs/architecture.md §2: the control plane never loads TensorFlow.js, and no install of it brings TF.js in.
describe('the production dependency tree of the control plane', () => {
  it.each(CONTROL_PLANE)('%s: npm ls --omit=dev lists no @tensorflow package', (name) => {
    const names = npmLsProductionNames(root, name);
    expect(names.has(name)).toBe(true);
    expect([...names].filter(isTensorflow)).toEqual([]);
  });

  it.each(CONTROL_PLANE)(
    '%s: a production install (required peers included) reaches no @tensorflow package',
    (name) => {
      const tree = productionTree(root, name);
      const tensorflow = [...tree.entries()]
        .filter(([pkg]) => isTensorflow(pkg))
        .map(([, chain]) => chain.join(' -> '));
      expect(tensorflow).toEqual([]);
      expect(tree.has('@ltlab/train')).toBe(false);
    },
  );

  it('sees TF.js where it is: the training package brings it in through its peers', () => {
    const tree = productionTree(root, '@ltlab/train');
    expect(tree.get('@tensorflow/tfjs-core')).toEqual(expect.arrayContaining(['@ltlab/train']));
    expect(tree.has('@tensorflow/tfjs-backend-wasm')).toBe(true);
  });
});
