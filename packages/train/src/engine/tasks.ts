import { classificationConfigOf, type RunConfig, segmentationConfigOf, type TaskName, taskOf } from '@ltlab/config';
import { createClassificationTask } from './classification-task.js';
import { createSegmentationTask } from './segmentation/segmentation-task.js';
import type { TaskContext, TrainingTask } from './training-task.js';

/** How each task is built from its config: the one place a run's task is looked up. */
const TASK_BUILDERS: Readonly<Record<TaskName, (config: RunConfig, context: TaskContext) => Promise<TrainingTask>>> = {
  classification: async (config, context) => createClassificationTask(classificationConfigOf(config), context),
  segmentation: (config, context) => createSegmentationTask(segmentationConfigOf(config), context),
};

/** Resolves a run config's task, once, into what it contributes to the training loop. */
export function createTask(config: RunConfig, context: TaskContext): Promise<TrainingTask> {
  return TASK_BUILDERS[taskOf(config)](config, context);
}
