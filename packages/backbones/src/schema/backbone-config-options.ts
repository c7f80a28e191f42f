import { z } from 'zod';

/**
 * What a run config's `backbone.options` may set. Strict, so a misspelt option is an error
 * naming the nearest known one instead of being ignored.
 */
export const backboneConfigOptionsSchema = z.strictObject({
  /**
   * `family`: the backbone's own (CIFAR: Kaiming-normal fan_in; ImageNet: nn.Linear default);
   * `pytorchDefault`: nn.Linear's default, as PaCo's new `linear` classifier.
   */
  classifierInit: z.enum(['family', 'pytorchDefault']).default('family'),
  /**
   * `linear`: `x W + b` (every paper's default); `cosine`: cosine similarities of the normalised
   * feature and class weights, no bias (LDAM's NormedLinear, for its s = 30).
   */
  classifier: z.enum(['linear', 'cosine']).default('linear'),
  /** `false` creates every tensor frozen (TF.js `trainable: false`). */
  trainable: z.boolean().default(true),
});
