export { runTrainerChild, TRAINER_EXIT, type TrainerJob, trainerJobSchema } from './child/trainer-child.js';
export { AdamW, type AdamWOptions } from './engine/adamw.js';
export { type CheckpointContents, listCheckpoints, readCheckpoint, writeCheckpoint } from './engine/checkpoint-file.js';
export { type Evaluation, evaluate, firstPerClass } from './engine/evaluate.js';
export {
  type CheckpointEvaluation,
  type CheckpointEvaluationOptions,
  evaluateCheckpoint,
} from './engine/evaluate-checkpoint.js';
export type { NamedParameter, Optimizer, OptimizerState } from './engine/optimizer.js';
export { classifierScores, type Inference } from './engine/parts/inference.js';
export type {
  ModelPart,
  PartBuildContext,
  PartCheckpointState,
  PartInstance,
  PartSelection,
  PartStep,
  StepBatch,
  StepContext,
  StepForward,
  StepInputs,
} from './engine/parts/model-part.js';
export { modelPartRegistry } from './engine/parts/part-registry.js';
export {
  type CheckpointRejection,
  chooseResumeCheckpoint,
  latestValidCheckpoint,
  type ResumeChoice,
} from './engine/resume-checkpoint.js';
export {
  evaluateSegmentation,
  type SegmentationEvaluationOptions,
} from './engine/segmentation/evaluate-segmentation.js';
export { pixelCrossEntropy } from './engine/segmentation/pixel-cross-entropy.js';
export {
  type RegionRebalanceTerm,
  regionRebalanceLoss,
  segmentationLoss,
} from './engine/segmentation/segmentation-loss.js';
export { SegmentationNetwork } from './engine/segmentation/segmentation-network.js';
export { Sgd, type SgdOptions, type SgdState } from './engine/sgd.js';
export { createTask } from './engine/tasks.js';
export { RUN_CONFIG_FILE, type TrainOptions, type TrainResult, trainRun } from './engine/trainer.js';
export { buildTrainingData, type TrainingData } from './engine/training-data.js';
export { type PreparedStep, TrainingModel } from './engine/training-model.js';
export type {
  StageData,
  TaskBatch,
  TaskContext,
  TaskEvaluation,
  TaskPeriod,
  TaskStage,
  TaskStep,
  TrainingTask,
} from './engine/training-task.js';
