import type { validationSchema } from '@ltlab/config';
import { deriveSeed, Rng } from '@ltlab/core';
import type { DatasetSource } from '@ltlab/datasets';
import type { z } from 'zod';

export type ValidationOptions = z.output<typeof validationSchema>;

/** Images of a class with `count` training images that go to validation: at least one stays for training. */
export function validationCount(count: number, options: ValidationOptions): number {
  const wanted = options.perClass ?? Math.round((options.fraction ?? 0) * count);
  return Math.max(0, Math.min(wanted, count - 1));
}

/**
 * Splits a training set into what is trained on and a validation split (docs/evaluation.md §7):
 * for each class, its indices in source order are shuffled with a generator seeded by
 * (seed, class) and the first `validationCount` held out. Both parts keep source order, so the
 * split depends only on the seed and the training set, never on the run's other settings.
 */
export function holdOutValidation(
  source: DatasetSource,
  options: ValidationOptions,
): { train: DatasetSource; validation: DatasetSource } {
  const byClass: number[][] = Array.from({ length: source.numClasses }, () => []);
  source.labels.forEach((label, index) => {
    (byClass[label] as number[]).push(index);
  });
  const heldOut = new Uint8Array(source.size);
  byClass.forEach((members, c) => {
    const take = validationCount(members.length, options);
    const rng = new Rng(deriveSeed(options.seed, 'validation', c));
    for (const index of rng.shuffle([...members]).slice(0, take)) heldOut[index] = 1;
  });
  const train: number[] = [];
  const validation: number[] = [];
  for (let index = 0; index < source.size; index++) (heldOut[index] === 1 ? validation : train).push(index);
  return { train: source.subset(train), validation: source.subset(validation) };
}
