import { ResltHead } from '@ltlab/backbones';
import { methodSchema } from '@ltlab/config';
import { deriveSeed, parseOrThrow } from '@ltlab/core';
import { type ModelPart, underPrefix, withPrefix } from './model-part.js';

/**
 * Branch heads on the shared trunk and classifier (ResLT; docs/methods.md §9.1) for losses that
 * read branch logits (`requires.branchLogits`): `logitsH`, `logitsM`, `logitsT` in each step, and
 * at inference the branches fused by `ResltHead.predict` (H + M + T, or H + M when the loss's
 * `branches` option is 2, the iNaturalist form), with the inference settings of the other parts
 * (tau-normalised weights). Options: `method.head`. Checkpoint tensors: `branches/...`.
 */
export const branchHeads: ModelPart = {
  name: 'branch-heads',
  summary: 'branch heads sharing trunk and classifier, fused at inference (ResLT)',
  schema: methodSchema.in.shape.head,
  selects: ({ requires }) => requires.branchLogits,
  build: ({ config, backbone, loss }) => {
    const head = ResltHead.create(backbone, { ...config.method.head, seed: deriveSeed(config.seed, 'branches') });
    // How many branch logits the loss trains is its own option; inference fuses as many.
    const lossOptions = parseOrThrow(loss.schema, config.method.options, `method.options of loss '${loss.name}'`) as {
      branches?: unknown;
    };
    const branches = lossOptions.branches === 2 ? 2 : 3;
    return {
      parameters: () => head.namedParameters().map(([name, variable]) => [`branches/${name}`, variable] as const),
      startStep: ({ requires, batch }) =>
        requires.branchLogits
          ? {
              inputs: (forward, inputs) => {
                const query = batch.views[0] as (typeof batch.views)[number];
                Object.assign(inputs, head.forward(query, { training: forward.training }));
              },
            }
          : null,
      predict: (x, inference) =>
        head.predict(x, {
          branches,
          ...(inference.tauNormGamma === undefined ? {} : { tauNormGamma: inference.tauNormGamma }),
        }),
      exportWeights: async () => withPrefix('branches', await head.exportWeights()),
      loadWeights: (weights) => head.loadWeights(underPrefix('branches', weights)),
      dispose: () => head.dispose(),
    };
  },
};
