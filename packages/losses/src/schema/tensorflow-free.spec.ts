import { importWithoutTensorflow, LOADED_TENSORFLOW } from '@ltlab/runtime/testing';
import { describe, expect, it } from 'vitest';

/**
 * The schema entry is what the control plane imports (docs/architecture.md §2): loading it must
 * not load TensorFlow.js. The probe imports it in a fresh Node process that fails on any module
 * under `@tensorflow/`, so an import of tfjs-core anywhere in its graph fails this test.
 */

describe('@ltlab/losses/schema', () => {
  it('loads no module under @tensorflow/ and lists every loss', () => {
    const run = importWithoutTensorflow('@ltlab/losses/schema', "console.log(m.lossSchemaRegistry.names().join(','));");
    expect(run.output).not.toContain(LOADED_TENSORFLOW);
    expect(run.status).toBe(0);
    expect(run.output).toContain('cross-entropy,focal,ldam,balanced-softmax,logit-adjusted-ce,supcon,paco,reslt');
  });

  it('the probe catches the main entry, which loads TensorFlow.js', () => {
    const run = importWithoutTensorflow('@ltlab/losses', '');
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(`${LOADED_TENSORFLOW}: @tensorflow/tfjs-core`);
  });
});
