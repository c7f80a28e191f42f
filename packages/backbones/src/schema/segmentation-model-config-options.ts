import { z } from 'zod';

const positiveInt = z.number().int().positive();

/** What a run config's `model.options` may set; `createSegmentationModel` adds the class count and input channels. */
export const segmentationModelConfigOptionsSchema = z.strictObject({
  /**
   * Input size over the last trunk stage's size: 8 (stages 3-4 dilated 2 and 4), 16 (stage 4
   * dilated 2) or 32 (no dilation). @defaultValue 8 for FCN and DeepLabv3+, 32 for UPerNet
   * (mmsegmentation's configs)
   */
  outputStride: z.union([z.literal(8), z.literal(16), z.literal(32)]).optional(),
  /** An auxiliary FCN head on stage 3 (its loss weight, 0.4 in the configs, is training's). @defaultValue true */
  auxHead: z.boolean().default(true),
  /** Width of the decode head. @defaultValue 512 */
  channels: positiveInt.default(512),
  /** Width of the auxiliary head. @defaultValue 256 */
  auxChannels: positiveInt.default(256),
  /** DeepLabv3+ only: width of the reduced stage-1 features. @defaultValue 48 */
  lowLevelChannels: positiveInt.optional(),
  /**
   * Planes of the trunk's stage 1 (stage k has trunkWidth * 2^(k-1)); 64 is torchvision's ResNet.
   * Narrow trunks (e.g. 16) are for tests and the 64x64 benchmark. @defaultValue 64
   */
  trunkWidth: positiveInt.default(64),
  /** Dropout2d rate before each classifier. @defaultValue 0.1 */
  dropout: z.number().min(0).lt(1).default(0.1),
  /** `align_corners` of every bilinear resize (logits to label size, ASPP/PPM/FPN). @defaultValue false */
  alignCorners: z.boolean().default(false),
  /** `false` creates every tensor frozen. @defaultValue true */
  trainable: z.boolean().default(true),
});
