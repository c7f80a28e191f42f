import type { SegmentationRunConfig } from '@ltlab/config';
import { learningRateAtIteration } from '@ltlab/config';
import { deriveSeed, LtlabError, parseOrThrow } from '@ltlab/core';
import {
  imageClassCounts,
  openSegmentationSource,
  type SegmentationBatch,
  SegmentationBatchLoader,
  type SegmentationSource,
  type SegmentationSourceSpec,
} from '@ltlab/datasets';
import { regionRebalanceOptionsSchema } from '@ltlab/losses';
import { InstanceBalancedSampler } from '@ltlab/samplers';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW } from '../adamw.js';
import type { StageData, TaskContext, TaskPeriod, TaskStage, TrainingTask } from '../training-task.js';
import { evaluateSegmentation, segmentationTaskEvaluation } from './evaluate-segmentation.js';
import { IterationBatches } from './iteration-batches.js';
import { type RegionRebalanceTerm, segmentationLoss } from './segmentation-loss.js';
import { SegmentationNetwork } from './segmentation-network.js';

/**
 * Semantic segmentation as a training task (docs/segmentation.md "Training"), iteration based as
 * mmsegmentation's IterBasedRunner: a segmentation source and its paired transforms, a
 * registry segmentation model (plus the frozen Region Rebalance branch when configured), AdamW
 * with a no-decay group, the learning rate of each iteration (poly with linear warm-up), and the
 * loss pixel CE + auxiliary CE + Region Rebalance with the image-level class prior counted from
 * the training labels. Periods of `periodIterations` iterations are what the loop reports,
 * evaluates and checkpoints at. Evaluation: mIoU and the rest on the test split.
 */
export async function createSegmentationTask(
  config: SegmentationRunConfig,
  context: TaskContext,
): Promise<TrainingTask> {
  const { train, test: fullTest } = openSegmentationSource(withLocalDefaults(config.data.source));
  const maxImages = config.evaluation.maxImages;
  const test =
    maxImages === undefined || maxImages >= fullTest.size
      ? fullTest
      : fullTest.subset(Int32Array.from({ length: maxImages }, (_, i) => i));
  const batchesPerEpoch = Math.floor(train.size / config.batchSize);
  if (batchesPerEpoch < 1) {
    throw new LtlabError('CONFIG.INVALID', `batchSize ${config.batchSize} exceeds the ${train.size} training images.`, {
      fix: 'Lower batchSize.',
    });
  }
  // Region Rebalance's prior, N_img(c) (docs/methods.md §10 step 4); also the head/body/tail groups.
  const counted = await imageClassCounts(train);
  if (counted.cache !== 'off') context.log(`image-level class counts: ${counted.cache} ${counted.cacheFile}`);
  const imageCounts = Array.from(counted.counts);
  const shape = { numClasses: train.numClasses, inputChannels: inputChannelsOf(train) };
  const rr = config.loss.regionRebalance;
  const rrOptions =
    rr === undefined
      ? null
      : parseOrThrow(
          regionRebalanceOptionsSchema,
          { weight: rr.weight, smooth: rr.smooth, scale: rr.scale },
          'loss.regionRebalance',
        );

  let network = SegmentationNetwork.build(config, shape);
  const imageCountTensor = tf.tensor1d(counted.counts, 'int32');
  const regionTerm = (): RegionRebalanceTerm | null =>
    network.branch === null || rrOptions === null
      ? null
      : { branch: network.branch, imageCounts: imageCountTensor, options: rrOptions };

  const period = config.periodIterations;
  const { optimizer, schedule } = config;
  const stage: TaskStage = {
    name: 'main',
    periods: config.iterations / period,
    parameters: () => network.trainableParameters(),
    createOptimizer: () =>
      new AdamW({
        betas: optimizer.betas,
        eps: optimizer.eps,
        weightDecay: optimizer.weightDecay,
        noWeightDecay: network.exemptFromWeightDecay(optimizer.noWeightDecay),
      }),
    begin: () => {},
    open: (): StageData => {
      const loader = new SegmentationBatchLoader(train, {
        batchSize: config.batchSize,
        seed: deriveSeed(config.seed, 'augment'),
        workers: context.loaderWorkers,
        dropLast: true,
        sampler: new InstanceBalancedSampler(train.size, { seed: deriveSeed(config.seed, 'sampler') }),
        transform: config.data.transforms.train,
      });
      const stream = new IterationBatches<SegmentationBatch>(
        (epoch, startPosition) => loader.epoch(epoch, { startPosition })[Symbol.asyncIterator](),
        { batchesPerEpoch, batchSize: config.batchSize },
      );
      return {
        period: (index: number): TaskPeriod => {
          const first = index * period;
          const lrAt = (iteration: number) =>
            learningRateAtIteration(schedule, optimizer.lr, iteration, config.iterations);
          async function* batches() {
            for await (const { iteration, batch } of stream.take(first, period)) {
              yield {
                images: batch.indices.length,
                start: () => {
                  const images = tf.tensor4d(batch.images, batch.shape);
                  const labels = tf.tensor3d(batch.labels, batch.labelShape, 'int32');
                  const [, height, width] = batch.labelShape;
                  const current = network;
                  const term = regionTerm();
                  return {
                    lr: lrAt(iteration),
                    loss: () =>
                      segmentationLoss(
                        current.model.forward(images, {
                          training: true,
                          outputSize: [height, width],
                          // Dropout masks of the iteration: a resumed run draws the same ones.
                          dropoutSeed: deriveSeed(config.seed, 'dropout', iteration),
                        }),
                        labels,
                        { auxiliaryWeight: config.loss.auxiliaryWeight, regionRebalance: term },
                      ),
                    finish: () => tf.dispose([images, labels]),
                  };
                },
              };
            }
          }
          return { stepCount: period, lr: lrAt(first), batches: batches(), dispose: () => {} };
        },
        close: async () => {
          await stream.close();
          await loader.close();
        },
      };
    },
  };

  const evaluateTest = async () =>
    segmentationTaskEvaluation(
      await evaluateSegmentation(network.model, test, {
        pipeline: config.data.transforms.test,
        batchSize: config.evaluation.batchSize,
        originalLabels: config.evaluation.originalLabels,
        imageCounts,
        split: 'test',
      }),
      'test',
    );

  return {
    stages: [stage],
    stepsPerPeriod: period,
    evaluateEveryPeriods: config.evaluation.everyIterations / period,
    checkpoint: {
      everyPeriods: config.checkpoint.everyIterations / period,
      keepLast: config.checkpoint.keepLast,
      keepBest: config.checkpoint.keepBest,
    },
    evaluations: [{ split: 'test', evaluate: evaluateTest }],
    optimizerStateName: 'adamw',
    exportWeights: () => network.exportWeights(),
    loadWeights: (weights) => network.loadWeights(weights),
    checkpointState: () => ({ queuePointer: 0 }),
    rebuild: () => {
      network.dispose();
      network = SegmentationNetwork.build(config, shape);
    },
    dispose: () => {
      imageCountTensor.dispose();
      network.dispose();
    },
  };
}

/** Channels of the images the model sees: the stored ones for in-memory sources, RGB for files. */
function inputChannelsOf(source: SegmentationSource): number {
  return source.ref.kind === 'segmentation-pixels' ? source.ref.channels : 3;
}

/**
 * A machine-local copy of Fashion-MNIST (not a hyperparameter, so not in the config) may replace
 * the benchmark's default Debian location, as for the classification source.
 */
function withLocalDefaults(spec: SegmentationRunConfig['data']['source']): SegmentationSourceSpec {
  const dir = process.env.LTLAB_FASHION_MNIST_DIR;
  if (spec.name === 'fashion-mnist-seg-lt' && spec.dir === undefined && dir !== undefined) return { ...spec, dir };
  return spec;
}
