/**
 * `@ltlab/config`: the run config contract without TensorFlow.js, shared by the control plane and the trainer.
 */

export { type IterationSchedule, iterationScheduleSchema, learningRateAtIteration } from './iteration-schedule.js';
export { deepMerge, loadConfigFile, readDataFile } from './load-config-file.js';
export {
  backboneSchema,
  type ClassificationRunConfig,
  type ClassificationRunConfigInput,
  canonicalRunConfig,
  checkpointSchema,
  classificationConfigOf,
  classificationRunConfigSchema,
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
  segmentationConfigOf,
  stageSchema,
  TASKS,
  type TaskName,
  taskOf,
  validationSchema,
} from './run-config.js';
export { learningRateAt, type Schedule, scheduleSchema } from './schedule.js';
export {
  adamwSchema,
  regionRebalanceSchema,
  type SegmentationRunConfig,
  type SegmentationRunConfigInput,
  segmentationCheckpointSchema,
  segmentationDataSchema,
  segmentationEvaluationSchema,
  segmentationLossSchema,
  segmentationModelSchema,
  segmentationOptimizerSchema,
  segmentationRunConfigSchema,
  WEIGHT_DECAY_EXEMPTIONS,
} from './segmentation-run-config.js';
export {
  type BestSelection,
  bestSelectionSchema,
  CLASSIFICATION_SELECTION_METRICS,
  type Provenance,
  provenanceSchema,
  type RejectedCheckpoint,
  rejectedCheckpointSchema,
  SEGMENTATION_SELECTION_METRICS,
  SELECTION_METRICS,
  shotAccuracySchema,
  type TrainerEvent,
  type TrainerEventInput,
  type TrainerEventType,
  trainerEventSchema,
} from './trainer-events.js';
