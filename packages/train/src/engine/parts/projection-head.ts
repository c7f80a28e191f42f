import { ProjectionMlp } from '@ltlab/backbones';
import { methodSchema } from '@ltlab/config';
import { deriveSeed, LtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { type ModelPart, type PartInstance, underPrefix, withPrefix } from './model-part.js';

/** The projection MLP of a run whose loss reads embeddings. */
export interface ProjectionHead extends PartInstance {
  readonly mlp: ProjectionMlp;
}

/**
 * The projection MLP (Linear-BN-ReLU-Linear; docs/methods.md §8.2) for losses on embeddings
 * (`requires.features`): the query view's embedding as `features`, L2-normalised or raw as the
 * loss asks; with the `views` layout every view's, stacked `[B, V, d]`. In the `query-key-queue`
 * layout it writes the queries `[B, d]` and the momentum queue part appends keys and queue rows.
 * Checkpoint tensors: `mlp/...`.
 */
export const projectionHead: ModelPart<ProjectionHead> = {
  name: 'projection-head',
  summary: 'projection MLP giving the embeddings `features` of losses on embeddings (PaCo, SupCon)',
  schema: methodSchema.in.shape.projection,
  selects: ({ requires }) => requires.features !== 'none',
  build: ({ config, backbone, loss }) => {
    const { featureLayout } = loss.requires;
    if (featureLayout === 'query-key-queue' && !loss.requires.momentumQueue) {
      throw new LtlabError('INTERNAL', `Loss '${loss.name}' reads a queue of keys but does not require momentumQueue.`);
    }
    const projection = config.method.projection;
    const mlp = ProjectionMlp.create({
      inDim: backbone.featureDim,
      outDim: projection.dim,
      ...(projection.hiddenDim === undefined ? {} : { hiddenDim: projection.hiddenDim }),
      lastLayerInit: backbone.family === 'cifar' ? 'kaimingNormalFanIn' : 'pytorchDefault',
      seed: deriveSeed(config.seed, 'mlp'),
    });
    return {
      mlp,
      parameters: () => mlp.namedParameters().map(([name, variable]) => [`mlp/${name}`, variable] as const),
      startStep: ({ requires, batch }) =>
        requires.features === 'none'
          ? null
          : {
              inputs: (forward, inputs) => {
                const embed = (view: number) =>
                  requires.features === 'normalized'
                    ? mlp.embed(forward.features(view), { training: forward.training })
                    : mlp.apply(forward.features(view), { training: forward.training });
                const query = embed(0);
                inputs.features =
                  requires.featureLayout === 'views'
                    ? tf.stack([query, ...batch.views.slice(1).map((_, i) => embed(i + 1))], 1)
                    : query;
              },
            },
      exportWeights: async () => withPrefix('mlp', await mlp.exportWeights()),
      loadWeights: (weights) => mlp.loadWeights(underPrefix('mlp', weights)),
      dispose: () => mlp.dispose(),
    };
  },
};
