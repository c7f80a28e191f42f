export {
  type Calibration,
  type CalibrationBin,
  expectedCalibrationError,
} from './calibration.js';
export { type ConfusionMatrix, confusionMatrix } from './confusion-matrix.js';
export { argmaxRows, type ScoreMatrix } from './inputs.js';
export { meanClassAccuracy, type PerClassAccuracy, perClassAccuracy } from './per-class.js';
export { type ShotAccuracy, shotAccuracy } from './shot-accuracy.js';
export { SHOT_GROUPS, SHOT_THRESHOLDS, type ShotGroup, shotGroupOf, shotGroupSizes } from './shot-thresholds.js';
export { topKAccuracy } from './top-k.js';
