export {
  type Calibration,
  type CalibrationBin,
  expectedCalibrationError,
} from './calibration.js';
export { type ConfusionMatrix, confusionMatrix } from './confusion-matrix.js';
export { type AshaInput, ashaCutoff, ashaStops, isAshaRung } from './early-stopping/asha.js';
export { bestUpTo, type MedianRuleInput, median, medianRuleStops } from './early-stopping/median-rule.js';
export { type FrequencyGroupIoU, frequencyGroupIoU } from './frequency-group-iou.js';
export {
  DEFAULT_FREQUENCY_GROUPING,
  FREQUENCY_GROUPS,
  type FrequencyGroup,
  type FrequencyGrouping,
  frequencyGroupingSchema,
  frequencyGroupSizes,
  frequencyGroupsOf,
} from './frequency-groups.js';
export { argmaxRows, type ScoreMatrix } from './inputs.js';
export { meanClassAccuracy, type PerClassAccuracy, perClassAccuracy } from './per-class.js';
export {
  type PixelBatchContext,
  PixelConfusion,
  type PixelConfusionOptions,
  SEGMENTATION_IGNORE_INDEX,
} from './pixel-confusion.js';
export type { AsyncPixelTensor, PixelMap, SyncPixelTensor } from './pixel-maps.js';
export {
  type EvaluatedPixelConfusion,
  parseSegmentationEvaluation,
  type SegmentationEvaluation,
  segmentationEvaluationSchema,
  summarizeSegmentation,
} from './segmentation-evaluation.js';
export { type PixelConfusionCounts, type SegmentationScores, segmentationScores } from './segmentation-scores.js';
export { type ShotAccuracy, shotAccuracy } from './shot-accuracy.js';
export { SHOT_GROUPS, SHOT_THRESHOLDS, type ShotGroup, shotGroupOf, shotGroupSizes } from './shot-thresholds.js';
export { topKAccuracy } from './top-k.js';
