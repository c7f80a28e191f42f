import { methodSchema } from '@ltlab/config';
import type { ModelPart } from './model-part.js';

/**
 * Tau-normalised classifier at inference (Kang et al., ICLR 2020; docs/methods.md §9.4), when the
 * method sets `tauNorm`: every prediction rule scores with `W / ||W||^gamma` and no bias. Training
 * and checkpoints are unchanged.
 */
export const tauNorm: ModelPart = {
  name: 'tau-norm',
  summary: 'tau-normalised classifier weights at inference (decoupling; ResLT)',
  schema: methodSchema.in.shape.tauNorm,
  selects: ({ config }) => config.method.tauNorm !== undefined,
  build: ({ config }) => {
    const gamma = config.method.tauNorm?.gamma;
    return {
      parameters: () => [],
      inference: (inference) => (gamma === undefined ? inference : { ...inference, tauNormGamma: gamma }),
      dispose: () => {},
    };
  },
};
