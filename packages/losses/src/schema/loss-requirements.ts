/** Whether a loss needs an input: not at all, if the trainer has it, or always. */
export type Need = 'no' | 'optional' | 'required';

/**
 * What the trainer must supply for a loss, as data: the trainer reads these fields and never
 * branches on a loss name. Every field names the `inputs` key it governs.
 */
export interface LossRequirements {
  /** Classifier logits `logits` [B, C] of the (query) view. */
  readonly logits: boolean;
  /** ResLT branch logits `logitsH`, `logitsM`, `logitsT` [B, C] from a branch-head backbone. */
  readonly branchLogits: boolean;
  /** Labels `labels` (int32). `optional` for SupCon: absent means SimCLR (instance positives). */
  readonly labels: Need;
  /**
   * Training images per class `classCounts` [C]. `optional` means the loss has a variant without
   * them (PaCo without counts is the balanced Full-ImageNet loss): supply them for long-tailed data.
   */
  readonly classCounts: Need;
  /** Per-class loss weights `classWeights` [C] (class-balanced, DRW); supplied when a recipe schedules them. */
  readonly classWeights: 'no' | 'optional';
  /** Embedding features `features`: none, rows L2-normalised, or raw (un-normalised) features. */
  readonly features: 'none' | 'normalized' | 'raw';
  /**
   * Row layout of `features`: `views` [B, V, d]; `query-key-queue` [2B+K, d] = [q; k; queue] with
   * labels [2B+K] = [y; y; queue labels]; `pixels` [P, d] with per-pixel labels [P].
   */
  readonly featureLayout: 'none' | 'views' | 'query-key-queue' | 'pixels';
  /** Two augmented views per image (query and key). */
  readonly twoViews: boolean;
  /** A momentum key encoder and a queue of past keys and labels (the K rows after [q; k]). */
  readonly momentumQueue: boolean;
  /** A frozen random region projection: `gainWeight` [H, d], `gainBias` [H], `clsWeight` [C, H], `clsBias` [C]. */
  readonly regionProjection: boolean;
}

/** The starting point each loss spreads and overrides: nothing needed. */
export const NOTHING_REQUIRED: LossRequirements = Object.freeze({
  logits: false,
  branchLogits: false,
  labels: 'no',
  classCounts: 'no',
  classWeights: 'no',
  features: 'none',
  featureLayout: 'none',
  twoViews: false,
  momentumQueue: false,
  regionProjection: false,
});
