import { LtlabError } from '@ltlab/core';

/** The replica count of the innermost `withBatchNormReplicas` scope; 1 outside any. */
let activeReplicas = 1;

/**
 * Runs `forward` as `replicas` data-parallel devices would (PyTorch DistributedDataParallel
 * without SyncBN; docs/methods.md §8.8): every train-mode BatchNorm inside normalises each of
 * `replicas` equal, consecutive chunks of its batch with that chunk's own statistics, and
 * updates its running statistics from chunk 0 only (DDP broadcasts rank 0's buffers, so rank 0's
 * are the ones that evolve and get saved). Evaluation-mode BN is unaffected. `replicas: 1` is
 * exactly the forward without the scope.
 *
 * The scope is synchronous: TF.js forwards are, and the tape records the per-chunk ops, so the
 * backward pass needs no scope. An asynchronous `forward` is refused (the scope would close
 * before its forwards run).
 */
export function withBatchNormReplicas<T>(replicas: number, forward: () => T): T {
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new LtlabError('CONFIG.INVALID', `replicas must be a positive integer, got ${replicas}.`, {
      fix: 'Set replicas.count to the number of devices of the original run (1 or more).',
    });
  }
  const outer = activeReplicas;
  activeReplicas = replicas;
  try {
    const result = forward();
    if (result instanceof Promise) {
      throw new LtlabError('INTERNAL', 'withBatchNormReplicas takes a synchronous forward; it got a Promise.');
    }
    return result;
  } finally {
    activeReplicas = outer;
  }
}

/** How many chunks a train-mode BatchNorm normalises separately now (1 outside a scope). */
export function batchNormReplicas(): number {
  return activeReplicas;
}
