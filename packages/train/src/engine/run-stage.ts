import { LtlabError } from '@ltlab/core';
import { improves } from './best-selection.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import type { RunContext } from './run-context.js';
import { saveCheckpoints } from './save-checkpoints.js';
import { type StepParameters, trainStep } from './train-step.js';
import type { TaskEvaluation, TaskPeriod, TaskStage } from './training-task.js';

/**
 * Trains the periods of one stage not done yet (`run.progress.epoch` onwards, up to `end`):
 * its optimizer (with the resumed buffers when the run stopped inside the stage), its data, and
 * after each period the `epoch` event, the evaluations due and the checkpoints due. Returns the
 * last test evaluation of the stage, or null.
 */
export async function runStage(
  run: RunContext,
  stage: TaskStage,
  span: { start: number; end: number },
  optimizer: Optimizer,
  resumedState: OptimizerState | null,
): Promise<TaskEvaluation | null> {
  const { progress } = run;
  if (resumedState !== null && progress.epoch > span.start) optimizer.loadState(resumedState);
  if (progress.epoch === span.start) stage.begin();
  const data = stage.open();
  const named = stage.parameters();
  const params: StepParameters = { named, variables: named.map(([, variable]) => variable) };
  let final: TaskEvaluation | null = null;
  try {
    // `index` counts from 0 (seeds and schedules); `epoch` is its 1-based number for events.
    for (let index = progress.epoch; index < span.end; index++) {
      const epoch = index + 1;
      run.working(epoch);
      const trained = await runPeriod(run, data.period(index, progress.step), optimizer, params, epoch);
      progress.epoch = epoch;
      run.emit({ type: 'epoch', epoch, step: progress.step, stage: stage.name, ...trained });
      final = (await evaluateAndCheckpoint(run, optimizer, epoch)) ?? final;
    }
  } finally {
    await data.close();
  }
  return final;
}

/** The steps of one period; its mean loss, last learning rate, throughput and duration. */
async function runPeriod(
  run: RunContext,
  period: TaskPeriod,
  optimizer: Optimizer,
  params: StepParameters,
  epoch: number,
) {
  const { progress } = run;
  const started = performance.now();
  let lossSum = 0;
  let batches = 0;
  let images = 0;
  let lr = period.lr;
  try {
    for await (const batch of period.batches) {
      // Batches built on this thread resolve as microtasks; yield so that signals, timers
      // and I/O (SIGTERM, an orphan check, queued stdout) are served between steps.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (run.signal?.aborted === true) {
        throw new LtlabError('TRAIN.INTERRUPTED', `Run stopped during epoch ${epoch}.`, {
          fix: 'It resumes from its last checkpoint when started again.',
        });
      }
      const done = await trainStep(batch, optimizer, params, { step: progress.step + 1, epoch });
      lr = done.lr;
      lossSum += done.loss;
      batches++;
      images += batch.images;
      progress.step++;
      run.onBatch?.({
        epoch,
        totalEpochs: run.totalEpochs,
        batch: batches,
        batches: period.stepCount,
        loss: done.loss,
      });
    }
  } finally {
    period.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  return { trainLoss: lossSum / Math.max(1, batches), lr, imagesPerSecond: images / Math.max(seconds, 1e-9), seconds };
}

/**
 * After a period: the evaluations when due (every `evaluateEveryPeriods`, and the last), the best
 * so far, and the epoch file and/or `best.ckpt` when due. Returns the test evaluation, if any.
 */
async function evaluateAndCheckpoint(run: RunContext, optimizer: Optimizer, epoch: number) {
  const { task, progress, selection } = run;
  const last = progress.epoch === run.totalEpochs;
  let improved = false;
  let test: TaskEvaluation | null = null;
  if (last || progress.epoch % task.evaluateEveryPeriods === 0) {
    const scored = new Map<string, TaskEvaluation>();
    for (const { split, evaluate } of task.evaluations) {
      const evaluation = await evaluate();
      run.emit({ type: 'eval', epoch, step: progress.step, split, ...evaluation.event });
      scored.set(split, evaluation);
    }
    test = scored.get('test') ?? null;
    const value = scored.get(selection.split)?.values[selection.metric] ?? null;
    if (improves(progress.best, value, selection.mode)) {
      progress.best = { ...selection, value, epoch };
      improved = true;
    }
  }
  const { everyPeriods, keepLast, keepBest } = task.checkpoint;
  const due = last || progress.epoch % everyPeriods === 0;
  if (due || (improved && keepBest)) {
    await saveCheckpoints(task, optimizer, progress, {
      dir: run.checkpointDir,
      artifactRoot: run.artifactRoot,
      keepLast,
      epochFile: due,
      bestFile: improved && keepBest,
      improved,
      emit: run.emit,
    });
  }
  return test;
}
