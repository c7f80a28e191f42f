export { ashaStops, isAshaRung } from './early-stopping/asha.js';
export { median, medianRuleStops } from './early-stopping/median-rule.js';
export { getPath, withPath } from './sweep/dotted-path.js';
export { type ExpandedRun, type ExpandedSweep, expandSweep } from './sweep/expand-sweep.js';
export { type LoadedSweep, loadSweepFile, readDataFile } from './sweep/load-sweep-file.js';
export {
  configPathSchema,
  type Distribution,
  distributionSchema,
  type EarlyStopping,
  earlyStoppingSchema,
  objectiveSchema,
  type SweepSpec,
  type SweepSpecInput,
  sweepSpecSchema,
} from './sweep/sweep-spec.js';
