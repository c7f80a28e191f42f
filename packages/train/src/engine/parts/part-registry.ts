import { defineRegistry } from '@ltlab/core';
import { branchHeads } from './branch-heads.js';
import { classWeightSchedule } from './class-weight-schedule.js';
import type { ModelPart } from './model-part.js';
import { momentumQueue } from './momentum-queue.js';
import { projectionHead } from './projection-head.js';
import { tauNorm } from './tau-norm.js';

/**
 * Every part a method can add to the training model (docs/architecture.md §5.5), in
 * the order they are built, step, fold inference settings and are written to a checkpoint (a
 * part may use one listed before it: the momentum queue copies the projection head). A method with
 * a new part adds one file and one line here.
 */
export const modelPartRegistry = defineRegistry<ModelPart>('model part', [
  projectionHead,
  branchHeads,
  momentumQueue,
  tauNorm,
  classWeightSchedule,
]);
