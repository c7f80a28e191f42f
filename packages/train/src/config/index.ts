/**
 * `@ltlab/train/config`: the run config without TensorFlow.js, for the control plane.
 */

export { deepMerge, loadConfigFile, readDataFile } from './load-config-file.js';
export {
  backboneSchema,
  canonicalRunConfig,
  checkpointSchema,
  dataSchema,
  evaluationSchema,
  methodSchema,
  momentumEncoderSchema,
  optimizerSchema,
  parseRunConfig,
  type RunConfig,
  type RunConfigInput,
  runConfigHash,
  runConfigSchema,
  samplerSchema,
  stageSchema,
  validationSchema,
} from './run-config.js';
export { learningRateAt, type Schedule, scheduleSchema } from './schedule.js';
export {
  type BestSelection,
  bestSelectionSchema,
  type RejectedCheckpoint,
  rejectedCheckpointSchema,
  SELECTION_METRICS,
  shotAccuracySchema,
  type TrainerEvent,
  type TrainerEventInput,
  type TrainerEventType,
  trainerEventSchema,
} from './trainer-events.js';
