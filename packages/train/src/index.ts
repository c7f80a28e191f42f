export { runTrainerChild, TRAINER_EXIT, type TrainerJob, trainerJobSchema } from './child/trainer-child.js';
export * from './config/index.js';
export { type CheckpointContents, listCheckpoints, readCheckpoint, writeCheckpoint } from './engine/checkpoint-file.js';
export { type Evaluation, evaluate, firstPerClass } from './engine/evaluate.js';
export {
  type CheckpointRejection,
  chooseResumeCheckpoint,
  latestValidCheckpoint,
  type ResumeChoice,
} from './engine/resume-checkpoint.js';
export { Sgd, type SgdOptions, type SgdState } from './engine/sgd.js';
export { type TrainOptions, type TrainResult, trainRun } from './engine/trainer.js';
export { buildTrainingData, type TrainingData } from './engine/training-data.js';
export { TrainingModel } from './engine/training-model.js';
