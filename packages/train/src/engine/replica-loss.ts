import { LtlabError } from '@ltlab/core';
import type { LossDefinition, LossInputs, LossRequirements } from '@ltlab/losses';
import * as tf from '@tensorflow/tfjs-core';

/** Inputs with one row per sample of the batch, `[B, ...]`. */
const PER_SAMPLE = new Set(['logits', 'logitsH', 'logitsM', 'logitsT']);
/** Inputs every replica holds whole (the same on every device). */
const SHARED = new Set(['classCounts', 'classWeights']);

/** How a step's batch is shared: `replicas` devices, `batch` samples in all (B). */
export interface ReplicaSplit {
  readonly replicas: number;
  readonly batch: number;
}

/**
 * The step loss as `replicas` data-parallel devices compute it (PyTorch DistributedDataParallel;
 * docs/methods.md §8.8): the loss of each consecutive chunk of batchSize / replicas samples,
 * averaged over the chunks, since DDP averages the replicas' gradients. One replica is exactly
 * `loss.compute` on the whole batch.
 */
export function replicaMeanLoss(
  loss: LossDefinition,
  inputs: LossInputs,
  options: Parameters<LossDefinition['compute']>[1],
  split: ReplicaSplit,
): tf.Scalar {
  if (split.replicas === 1) return loss.compute(inputs, options);
  return tf.tidy(() => {
    const chunks = splitLossInputs(inputs, loss.requires, split);
    const losses = chunks.map((chunk) => loss.compute(chunk, options));
    return tf.div(tf.addN(losses), split.replicas) as tf.Scalar;
  });
}

/**
 * The loss inputs of each of `replicas` devices: rows of per-sample inputs (logits, branch
 * logits, labels, embeddings of every view) split in consecutive chunks; class counts and weights
 * whole. In the `query-key-queue` layout (`[q; k; queue]`, labels `[y; y; queue labels]`) each
 * device gets its own queries and keys and the whole queue, as PaCo's original builds its
 * contrast set from the local q and k and the shared queue.
 */
export function splitLossInputs(inputs: LossInputs, requires: LossRequirements, split: ReplicaSplit): LossInputs[] {
  const { replicas, batch } = split;
  if (!Number.isInteger(replicas) || replicas < 1 || batch % replicas !== 0) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `replicas.count ${replicas} does not divide the batch of ${batch} samples the loss gets.`,
      { fix: 'Set replicas.count to a divisor of batchSize.' },
    );
  }
  if (requires.featureLayout === 'pixels') {
    throw new LtlabError('CONFIG.UNSUPPORTED', 'replicas.count does not apply to losses on per-pixel features.', {
      fix: 'Leave replicas out for this loss.',
    });
  }
  const size = batch / replicas;
  const out: Record<string, tf.Tensor | null | undefined>[] = Array.from({ length: replicas }, () => ({}));
  for (const [key, value] of Object.entries(inputs)) {
    if (value == null || SHARED.has(key)) {
      for (const chunk of out) chunk[key] = value;
      continue;
    }
    if (!PER_SAMPLE.has(key) && key !== 'features' && key !== 'labels') {
      throw new LtlabError(
        'CONFIG.UNSUPPORTED',
        `replicas.count ${replicas} cannot split the loss input '${key}': ltlab does not know which of its rows belong to which replica.`,
        { fix: 'Leave replicas out for this loss (train on the whole batch as one device).' },
      );
    }
    const rows = value.shape[0] as number;
    const queueLayout = requires.featureLayout === 'query-key-queue' && (key === 'features' || key === 'labels');
    if (queueLayout ? rows < 2 * batch : rows !== batch) {
      const expected = queueLayout ? `at least ${2 * batch} ([q; k])` : `${batch}`;
      throw new LtlabError(
        'INTERNAL',
        `Loss input '${key}' has ${rows} rows, ${expected} expected for a batch of ${batch}.`,
      );
    }
    out.forEach((chunk, r) => {
      if (!queueLayout) {
        chunk[key] = tf.slice(value, r * size, size);
        return;
      }
      const parts = [tf.slice(value, r * size, size), tf.slice(value, batch + r * size, size)];
      if (rows > 2 * batch) parts.push(tf.slice(value, 2 * batch, rows - 2 * batch));
      chunk[key] = tf.concat(parts);
    });
  }
  return out;
}
