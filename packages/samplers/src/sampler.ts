/**
 * A sampler turns (seed, epoch) into the order in which one epoch visits dataset indices. The same
 * seed and epoch always give the same order, so a resumed run replays it exactly.
 */
export interface Sampler {
  /** Registry name ('instance-balanced', ...). */
  readonly name: string;
  /** The seed every epoch's order is derived from. */
  readonly seed: number;
  /** Number of indices one epoch yields. */
  readonly length: number;
  /** The epoch's order: `length` dataset indices (with repeats for the re-balancing samplers). */
  indices(epoch: number): Int32Array;
}
