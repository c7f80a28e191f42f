import type { ClassificationRunConfig } from '@ltlab/config';
import { learningRateAt } from '@ltlab/config';
import { deriveSeed, LtlabError, parseOrThrow } from '@ltlab/core';
import { BatchLoader, type DatasetSource } from '@ltlab/datasets';
import { getLoss, type LossDefinition } from '@ltlab/losses';
import { createSampler } from '@ltlab/samplers';
import * as tf from '@tensorflow/tfjs-core';
import { type Evaluation, evaluate, firstPerClass } from './evaluate.js';
import { replicaMeanLoss } from './replica-loss.js';
import { Sgd } from './sgd.js';
import { buildTrainingData } from './training-data.js';
import { TrainingModel } from './training-model.js';
import type { StageData, TaskEvaluation, TaskPeriod, TaskStage, TrainingTask } from './training-task.js';

interface StagePlan {
  name: string;
  epochs: number;
  method: ClassificationRunConfig['method'];
  loss: LossDefinition;
  sampler: ClassificationRunConfig['sampler'];
  optimizer: ClassificationRunConfig['optimizer'];
  schedule: ClassificationRunConfig['schedule'];
  freezeBackbone: boolean;
  reinitClassifier: boolean;
}

/**
 * Image classification as a training task: a (long-tailed) image source, a backbone with the
 * model parts the run selects (parts/part-registry.ts; never chosen by the loss's name), SGD, one
 * period per epoch with the epoch's learning rate, and later stages (classifier
 * re-training on a frozen trunk). Evaluation is top-1/top-5 and many/medium/few accuracy on the
 * test set, and on the validation split when the config holds one out.
 */
export function createClassificationTask(
  config: ClassificationRunConfig,
  context: { loaderWorkers: number },
): TrainingTask {
  const data = buildTrainingData(config.data);
  const validation = data.validation;
  const test =
    config.evaluation.maxPerClass === undefined ? data.test : firstPerClass(data.test, config.evaluation.maxPerClass);
  const plans = planStages(config);
  // Per-device batch semantics of a multi-GPU original (docs/methods.md §8.8): BN statistics and
  // the loss per chunk of batchSize / replicas; samplers and the learning rate see the whole batch.
  const replicas = config.replicas?.count ?? 1;
  const mainLoss = (plans[0] as StagePlan).loss;
  const buildModel = () =>
    TrainingModel.build({
      config,
      loss: mainLoss,
      numClasses: data.numClasses,
      classCounts: data.classCounts,
      imageShape: data.imageShape,
    });
  let model = buildModel();
  try {
    for (const plan of plans.slice(1)) checkStageFits(plan, mainLoss);
    const stepsPerPeriod = Math.floor(data.train.size / config.batchSize);
    if (stepsPerPeriod < 1) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `batchSize ${config.batchSize} exceeds the ${data.train.size} training images.`,
        { fix: 'Lower batchSize.' },
      );
    }
  } catch (error) {
    model.dispose();
    throw error;
  }

  const scoreOn = (source: DatasetSource) => async (): Promise<TaskEvaluation> => {
    const scored = await evaluate(model, source, {
      pipeline: config.data.transforms.test,
      batchSize: config.evaluation.batchSize,
      trainCounts: data.classCounts,
    });
    return {
      evaluation: scored,
      event: {
        metrics: shotsOf(scored),
        perClassAccuracy: scored.perClassAccuracy,
        trainCounts: Array.from(data.classCounts),
        confusion: scored.confusion,
      },
      values: shotsOf(scored),
    };
  };

  let stageStart = 0;
  const stages = plans.map((plan, stageIndex): TaskStage => {
    const first = stageStart;
    stageStart += plan.epochs;
    return {
      name: plan.name,
      periods: plan.epochs,
      parameters: () => model.trainableParameters(plan.freezeBackbone),
      createOptimizer: () => new Sgd(plan.optimizer),
      begin: () => {
        if (plan.reinitClassifier) model.reinitClassifier(deriveSeed(config.seed, 'reinit', stageIndex));
      },
      open: () => openStage(plan, stageIndex, first),
    };
  });

  /** The stage's sampler and loader; period `index` is epoch index `index` (0-based). */
  const openStage = (plan: StagePlan, stageIndex: number, stageStartEpoch: number): StageData => {
    const sampler = createSampler(
      { seed: deriveSeed(config.seed, 'sampler', stageIndex), ...plan.sampler },
      { labels: data.train.labels, numClasses: data.numClasses },
    );
    const loader = new BatchLoader(data.train, {
      batchSize: config.batchSize,
      seed: deriveSeed(config.seed, 'augment', stageIndex),
      workers: context.loaderWorkers,
      dropLast: true,
      sampler,
      transform: config.data.transforms.train,
    });
    const lossOptions = parseOrThrow(
      plan.loss.schema,
      plan.method.options,
      `method.options of loss '${plan.loss.name}'`,
    );
    const requires = plan.loss.requires;
    return {
      period: (index: number): TaskPeriod => {
        // `index` counts from 0 for the schedule, sampler and augmentation seeds, so results and
        // resumption stay bit for bit.
        const stageEpoch = index - stageStartEpoch;
        const lr = learningRateAt(plan.schedule, plan.optimizer.lr, stageEpoch, plan.epochs);
        async function* batches() {
          for await (const batch of loader.epoch(index)) {
            yield {
              images: batch.labels.length,
              start: () => {
                const views = batch.views.map((view) => tf.tensor4d(view, batch.shape));
                const labels = tf.tensor1d(batch.labels, 'int32');
                const prepared = model.prepareStep({
                  batch: { views, labels },
                  requires,
                  method: plan.method,
                  stageEpoch,
                  training: !plan.freezeBackbone,
                  replicas,
                });
                return {
                  lr,
                  loss: () =>
                    replicaMeanLoss(plan.loss, prepared.lossInputs(), lossOptions, {
                      replicas,
                      batch: batch.labels.length,
                    }),
                  finish: () => {
                    prepared.finish();
                    tf.dispose([...views, labels]);
                  },
                };
              },
            };
          }
        }
        return {
          stepCount: loader.batchCount(sampler.length),
          lr,
          batches: batches(),
          dispose: () => {},
        };
      },
      close: () => loader.close(),
    };
  };

  return {
    stages,
    stepsPerPeriod: Math.floor(data.train.size / config.batchSize),
    evaluateEveryPeriods: config.evaluation.everyEpochs,
    checkpoint: {
      everyPeriods: config.checkpoint.everyEpochs,
      keepLast: config.checkpoint.keepLast,
      keepBest: config.checkpoint.keepBest,
    },
    evaluations: [
      ...(validation === null ? [] : [{ split: 'val' as const, evaluate: scoreOn(validation) }]),
      { split: 'test' as const, evaluate: scoreOn(test) },
    ],
    optimizerStateName: 'sgd',
    exportWeights: () => model.exportWeights(),
    loadWeights: (weights, state) => model.loadWeights(weights, state),
    checkpointState: () => model.checkpointState(),
    rebuild: () => {
      model.dispose();
      model = buildModel();
    },
    dispose: () => model.dispose(),
  };
}

function planStages(config: ClassificationRunConfig): StagePlan[] {
  const main: StagePlan = {
    name: 'main',
    epochs: config.epochs,
    method: config.method,
    loss: getLoss(config.method.loss),
    sampler: config.sampler,
    optimizer: config.optimizer,
    schedule: config.schedule,
    freezeBackbone: false,
    reinitClassifier: false,
  };
  return [
    main,
    ...config.stages.map((stage) => {
      const method = stage.method ?? config.method;
      return {
        name: stage.name,
        epochs: stage.epochs,
        method,
        loss: getLoss(method.loss),
        sampler: stage.sampler ?? config.sampler,
        optimizer: stage.optimizer ?? config.optimizer,
        schedule: stage.schedule ?? config.schedule,
        freezeBackbone: stage.freezeBackbone,
        reinitClassifier: stage.reinitClassifier,
      };
    }),
  ];
}

/** A later stage reuses the network built for the first, so it may only need less of it. */
function checkStageFits(stage: StagePlan, main: LossDefinition): void {
  const need = stage.loss.requires;
  const have = main.requires;
  const missing =
    (need.branchLogits && !have.branchLogits) ||
    (need.momentumQueue && !have.momentumQueue) ||
    (need.features !== 'none' && have.features === 'none');
  if (missing) {
    throw new LtlabError(
      'CONFIG.UNSUPPORTED',
      `Stage '${stage.name}' uses loss '${stage.loss.name}', which needs parts the first stage's network lacks.`,
      {
        fix: 'Use a stage loss that needs only logits (e.g. cross-entropy, balanced-softmax).',
      },
    );
  }
}

function shotsOf(evaluation: Evaluation) {
  const { top1, top5, many, medium, few } = evaluation;
  return { top1, top5, many, medium, few };
}
