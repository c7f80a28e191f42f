import { FeatureQueue, MomentumEncoder } from '@ltlab/backbones';
import { momentumEncoderSchema } from '@ltlab/config';
import { deriveSeed, LtlabError } from '@ltlab/core';
import { stopGradient } from '@ltlab/losses';
import * as tf from '@tensorflow/tfjs-core';
import { type ModelPart, underPrefix, withPrefix } from './model-part.js';
import { projectionHead } from './projection-head.js';

/**
 * The momentum key encoder and the queue of past keys (MoCo; docs/methods.md §8.3) for losses that
 * read a queue (`requires.momentumQueue`). Before each step's gradient it momentum-updates the key
 * encoder from backbone + projection MLP, encodes the second view and snapshots the queue; inside
 * the gradient it appends `[k; queue]` to the projection head's queries (`features` [2B+K, d]) and
 * `[y; queue labels]` to the labels; after the optimizer step the keys join the queue.
 * Checkpoint tensors: `key/...`, `queue/features`, `queue/labels`, and the pointer in the state.
 */
export const momentumQueue: ModelPart = {
  name: 'momentum-queue',
  summary: 'momentum key encoder and queue of past keys and labels (PaCo)',
  schema: momentumEncoderSchema,
  selects: ({ requires }) => requires.momentumQueue,
  build: (context) => {
    const { config, loss, backbone } = context;
    const momentum = config.method.momentumEncoder;
    if (momentum === undefined) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `Loss '${loss.name}' needs method.momentumEncoder (momentum, queueSize).`,
        {
          fix: 'Add method.momentumEncoder: { momentum: 0.999, queueSize: 1024 } to the run config.',
        },
      );
    }
    const { mlp } = context.built(projectionHead);
    const keyEncoder = MomentumEncoder.create({ backbone, mlp }, { momentum: momentum.momentum });
    const queue = FeatureQueue.create({
      size: momentum.queueSize,
      dim: config.method.projection.dim,
      numClasses: context.numClasses,
      seed: deriveSeed(config.seed, 'queue'),
      init: momentum.queueInit,
    });
    return {
      parameters: () => [],
      startStep: ({ requires, batch }) => {
        if (!requires.momentumQueue) return null;
        const keyView = batch.views[1];
        if (keyView === undefined)
          throw new LtlabError(
            'CONFIG.INVALID',
            'A momentum queue needs two views: set data.transforms.train to { views: [query, key] }.',
          );
        keyEncoder.update({ backbone, mlp });
        const keys = keyEncoder.encode(keyView, { training: true });
        // The queue as it was before this step's enqueue, as PaCo reads it.
        const before = queue.snapshot();
        return {
          inputs: (_forward, inputs) => {
            const queries = inputs.features;
            if (queries == null) throw new LtlabError('INTERNAL', 'The projection head wrote no queries.');
            inputs.features = tf.concat([queries, stopGradient(keys), before.features], 0);
            if (inputs.labels != null) inputs.labels = tf.concat([batch.labels, batch.labels, before.labels], 0);
          },
          finish: () => {
            queue.enqueue(keys, batch.labels);
            tf.dispose([keys, before.features, before.labels]);
          },
        };
      },
      exportWeights: async () => {
        const [key, state] = await Promise.all([keyEncoder.exportWeights(), queue.exportState()]);
        return { ...withPrefix('key', key), 'queue/features': state.features, 'queue/labels': state.labels };
      },
      loadWeights: (weights, state) => {
        keyEncoder.loadWeights(underPrefix('key', weights));
        const features = weights['queue/features'];
        const labels = weights['queue/labels'];
        if (features === undefined || labels === undefined)
          throw new LtlabError('CHECKPOINT.CORRUPT', 'The checkpoint has no momentum queue.');
        queue.loadState({ features, labels, pointer: state.queuePointer });
      },
      checkpointState: () => ({ queuePointer: queue.pointer }),
      dispose: () => {
        keyEncoder.dispose();
        queue.dispose();
      },
    };
  },
};
