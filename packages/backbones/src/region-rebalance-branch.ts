/**
 * The Region Rebalance branch: Cui et al., "Region Rebalance for Long-Tailed Semantic
 * Segmentation", arXiv 2204.01969, §3 (region features and the region classifier), as the
 * RR-labelled code path (`UPerHead_cecol`) builds it; docs/methods.md §10, docs/segmentation.md.
 * From the decode head's last feature map O (before dropout and classifier):
 * 1. P = BN(Conv1x1_{in -> 128, no bias}(O)), resized bilinearly to the label size with
 *    align_corners = true (the original's choice, unlike the logits' false);
 * 2. regions: for each class present anywhere in the mini-batch (ignore pixels excluded), the mean
 *    of its pixel features over all images: R rows in ascending class id, absent classes give none;
 * 3. region logits u = Linear_{512 -> C}(Dropout_{0.1}(ReLU(Linear_{128 -> 512}(r)))) * scale.
 * Every weight (conv, BN affine, both linear layers) is frozen at its random initial value, as
 * the original creates them with requires_grad = False: the region loss shapes only the decoder
 * and the trunk, through this fixed projection. The BN still normalises with batch statistics in
 * training and updates its running statistics. The branch exists only in training; inference is
 * the plain segmentation model. The loss (logit-adjusted, label-smoothed soft target) is
 * `region-rebalance` in @ltlab/losses, which takes `pixelFeatures`, `pixelLabels` and
 * `lossProjection()` from here.
 */
import { deriveSeed, LtlabError, parseOrThrow, type Seed } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type BatchNorm, createBatchNorm } from './batch-norm.js';
import { resizeBilinear } from './bilinear-resize.js';
import { type Conv2d, createConv2d } from './conv2d.js';
import { dropout } from './dropout.js';
import { createLinear, type Linear } from './linear.js';
import { ParamSet } from './param-set.js';
import { ParamSetModule } from './param-set-module.js';

const positiveInt = z.number().int().positive();
/** Pixels per membership matrix (65536 x 151 classes = 40 MB at most). */
const REGION_CHUNK = 65_536;

export const regionRebalanceBranchOptionsSchema = z.strictObject({
  /** Channels of the decode head's feature map (the model's `featureChannels`; UPerNet: 512). */
  inChannels: positiveInt,
  numClasses: z.number().int().min(2),
  /** Width of the pixel projection. @defaultValue 128 */
  reducedChannels: positiveInt.default(128),
  /** Width of the hidden region layer. @defaultValue 512 */
  hiddenChannels: positiveInt.default(512),
  /** Dropout before the region classifier (the head's Dropout2d, element-wise on region rows). @defaultValue 0.1 */
  dropout: z.number().min(0).lt(1).default(0.1),
  /** Multiplier of the region logits. @defaultValue 1 */
  scale: z.number().positive().default(1),
  /** Label value of pixels that belong to no class. @defaultValue 255 */
  ignoreIndex: z.number().int().default(255),
  /** `align_corners` of the resize of P to the label size. @defaultValue true (the original code) */
  alignCorners: z.boolean().default(true),
  /** Seed of the random (frozen) weights. */
  seed: z.union([z.number().int().nonnegative(), z.string()]).default(0),
});

export type RegionRebalanceBranchOptions = z.input<typeof regionRebalanceBranchOptionsSchema>;

export interface RegionRebalanceForwardOptions {
  /** Train mode: BN batch statistics (and running-statistics update), dropout. */
  training: boolean;
  /** Seed of this step's dropout mask; without it the branch counts its own training calls. */
  dropoutSeed?: number;
  /**
   * The labels' values on the host, in the order of `labels` (row-major `[B, H, W]`). Grouping
   * pixels into regions needs them on the host; pass them when the backend cannot read
   * synchronously (webgpu) or to skip the download.
   */
  labelValues?: ArrayLike<number>;
}

export interface RegionRebalanceOutputs {
  /** Region logits u, `[R, C]`, R = classes present in the batch. */
  regionLogits: tf.Tensor2D;
  /** Class id of each region, ascending, int32 `[R]`. */
  regionClasses: tf.Tensor1D;
  /** The same ids on the host. */
  classes: number[];
  /** Region features r, `[R, reducedChannels]`. */
  regionFeatures: tf.Tensor2D;
  /** P at the label size, one row per label pixel, `[B * H * W, reducedChannels]` (the loss's `features`). */
  pixelFeatures: tf.Tensor2D;
  /** The labels flattened, int32 `[B * H * W]` (the loss's `labels`; ignore pixels included). */
  pixelLabels: tf.Tensor1D;
}

/** The frozen projection in the layout of `region-rebalance`'s inputs (PyTorch's `[out, in]`). */
export interface RegionProjection {
  gainWeight: tf.Tensor2D;
  gainBias: tf.Tensor1D;
  clsWeight: tf.Tensor2D;
  clsBias: tf.Tensor1D;
}

interface BranchLayers {
  reduce: Conv2d;
  norm: BatchNorm;
  gain: Linear;
  classifier: Linear;
}

export class RegionRebalanceBranch extends ParamSetModule {
  readonly options: z.output<typeof regionRebalanceBranchOptionsSchema>;
  readonly #layers: BranchLayers;
  readonly #seed: Seed;
  #trainingCalls = 0;

  private constructor(options: z.output<typeof regionRebalanceBranchOptionsSchema>) {
    const { inChannels, numClasses, reducedChannels, hiddenChannels } = options;
    const params = new ParamSet();
    // Names and inits of the original modules (PyTorch defaults: no init function touches them).
    const layers: BranchLayers = {
      reduce: createConv2d(params, 'reduce.0', {
        inChannels,
        outChannels: reducedChannels,
        kernelSize: 1,
        init: 'pytorchDefault',
      }),
      norm: createBatchNorm(params, 'reduce.1', reducedChannels),
      gain: createLinear(params, 'gain.0', reducedChannels, hiddenChannels, 'pytorchDefault'),
      classifier: createLinear(params, 'img_cls.1', hiddenChannels, numClasses, 'pytorchDefault'),
    };
    // Frozen: nothing here is trainable; BN running statistics are buffers and still update.
    params.materialize({ seed: options.seed }, false);
    super(params, `Region Rebalance branch (${inChannels} -> ${reducedChannels}, ${numClasses} classes)`);
    this.options = options;
    this.#layers = layers;
    this.#seed = options.seed;
  }

  static create(options: RegionRebalanceBranchOptions): RegionRebalanceBranch {
    return new RegionRebalanceBranch(
      parseOrThrow(regionRebalanceBranchOptionsSchema, options, 'Region Rebalance branch options'),
    );
  }

  /** Step 1: P = BN(Conv1x1(O)) resized to `labelSize`, `[B, H, W, reducedChannels]`. */
  projectPixels(
    features: tf.Tensor4D,
    labelSize: readonly [number, number],
    options: { training: boolean },
  ): tf.Tensor4D {
    const { inChannels } = this.options;
    if (features.rank !== 4 || features.shape[3] !== inChannels) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `The Region Rebalance branch takes [B, h, w, ${inChannels}] decoder features (option inChannels), got [${features.shape.join(', ')}].`,
        { fix: "Create the branch with inChannels set to the segmentation model's featureChannels." },
      );
    }
    const { reduce, norm } = this.#layers;
    return tf.tidy(() =>
      resizeBilinear(norm.apply(reduce.apply(features), options.training), labelSize, {
        alignCorners: this.options.alignCorners,
      }),
    );
  }

  /**
   * Step 2: batch-level class regions. `pixels` `[B, H, W, d]` at the label size, `labels` int32
   * `[B, H, W]`. Each present class's row is the mean of its pixels over the whole batch.
   */
  regions(
    pixels: tf.Tensor4D,
    labels: tf.Tensor,
    labelValues?: ArrayLike<number>,
  ): { regionFeatures: tf.Tensor2D; classes: number[] } {
    const [batch, height, width, dim] = pixels.shape;
    const count = batch * height * width;
    if (labels.size !== count || labels.shape[0] !== batch) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `Region Rebalance labels [${labels.shape.join(', ')}] do not match the pixel features [${batch}, ${height}, ${width}].`,
        { fix: 'Pass the label maps [B, H, W] the features were resized to.' },
      );
    }
    const values = labelValues ?? labels.dataSync();
    const { classes, regionOf, pixelCounts } = this.#groupPixels(values, count, [height, width]);
    const regions = classes.length;
    const regionFeatures = tf.tidy(() => {
      const flat = tf.reshape(pixels, [count, dim]);
      if (regions === 0) return tf.slice(flat, [0, 0], [0, dim]) as tf.Tensor2D;
      // onehot^T . features (as the original), one chunk of pixels at a time so the membership
      // matrix stays small; ignored pixels have all-zero rows. MatMul's gradient is fast on every
      // backend, unlike the scatter-add of a segment sum on the cpu backend.
      const sums: tf.Tensor2D[] = [];
      for (let start = 0; start < count; start += REGION_CHUNK) {
        const rows = Math.min(REGION_CHUNK, count - start);
        const membership = new Float32Array(rows * regions);
        let members = 0;
        for (let i = 0; i < rows; i++) {
          const region = regionOf(values[start + i] as number);
          if (region >= 0) {
            membership[i * regions + region] = 1;
            members += 1;
          }
        }
        if (members === 0) continue;
        const chunk = tf.slice(flat, [start, 0], [rows, dim]);
        sums.push(tf.matMul(tf.tensor2d(membership, [rows, regions]), chunk, true, false));
      }
      return tf.div(tf.addN(sums), tf.tensor2d(pixelCounts, [regions, 1])) as tf.Tensor2D;
    });
    return { regionFeatures, classes };
  }

  /** Step 3: u = Linear(Dropout(ReLU(Linear(r)))) * scale, `[R, C]`. */
  classify(regionFeatures: tf.Tensor2D, options: { training: boolean; dropoutSeed: number }): tf.Tensor2D {
    const { gain, classifier } = this.#layers;
    const { dropout: rate, scale } = this.options;
    return tf.tidy(() => {
      const hidden = tf.relu(gain.apply(regionFeatures));
      const dropped = options.training && rate > 0 ? dropout(hidden, rate, options.dropoutSeed) : hidden;
      return tf.mul(classifier.apply(dropped), scale);
    });
  }

  /** The whole branch for one training step; the caller disposes every output tensor. */
  forward(features: tf.Tensor4D, labels: tf.Tensor, options: RegionRebalanceForwardOptions): RegionRebalanceOutputs {
    const { training } = options;
    if (labels.rank !== 3 || labels.dtype !== 'int32') {
      throw new LtlabError(
        'CONFIG.INVALID',
        `Region Rebalance labels must be int32 [B, H, W], got ${labels.dtype} [${labels.shape.join(', ')}].`,
        { fix: 'Pass the batch of label maps as an int32 tensor.' },
      );
    }
    const seed = options.dropoutSeed ?? (training ? deriveSeed(this.#seed, 'dropout', this.#trainingCalls++) : 0);
    const [batch, height, width] = labels.shape as [number, number, number];
    const pixels = this.projectPixels(features, [height, width], { training });
    try {
      const { regionFeatures, classes } = this.regions(pixels, labels, options.labelValues);
      const regionLogits = this.classify(regionFeatures, { training, dropoutSeed: seed });
      return {
        regionLogits,
        regionClasses: tf.tensor1d(classes, 'int32'),
        classes,
        regionFeatures,
        pixelFeatures: tf.reshape(pixels, [batch * height * width, this.options.reducedChannels]),
        pixelLabels: tf.reshape(labels, [batch * height * width]),
      };
    } finally {
      pixels.dispose();
    }
  }

  /** Copies of the frozen gain and classifier weights, in the loss's `[out, in]` layout; the caller disposes them. */
  lossProjection(): RegionProjection {
    const { gain, classifier } = this.#layers;
    return tf.tidy(() => ({
      gainWeight: tf.transpose(gain.weight.value as tf.Tensor2D),
      gainBias: tf.clone(gain.bias?.value as tf.Tensor1D),
      clsWeight: tf.transpose(classifier.weight.value as tf.Tensor2D),
      clsBias: tf.clone(classifier.bias?.value as tf.Tensor1D),
    }));
  }

  #groupPixels(
    labels: ArrayLike<number>,
    count: number,
    [height, width]: readonly [number, number],
  ): { classes: number[]; regionOf: (label: number) => number; pixelCounts: Float32Array } {
    const { numClasses, ignoreIndex } = this.options;
    const perClass = new Float64Array(numClasses);
    for (let i = 0; i < count; i++) {
      const label = labels[i] as number;
      if (label === ignoreIndex) continue;
      if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
        const image = Math.floor(i / (height * width));
        const row = Math.floor((i % (height * width)) / width);
        throw new LtlabError(
          'CONFIG.INVALID',
          `Label ${label} at image ${image}, row ${row}, column ${i % width} is outside 0..${numClasses - 1} and is not the ignore index ${ignoreIndex}.`,
          { fix: "Set numClasses to the dataset's class count, or ignoreIndex to its ignore label." },
        );
      }
      perClass[label] = (perClass[label] as number) + 1;
    }
    const classes: number[] = [];
    const regionIds = new Int32Array(numClasses).fill(-1);
    perClass.forEach((n, c) => {
      if (n > 0) {
        regionIds[c] = classes.length;
        classes.push(c);
      }
    });
    const regionOf = (label: number): number => (label === ignoreIndex ? -1 : (regionIds[label] as number));
    return { classes, regionOf, pixelCounts: Float32Array.from(classes, (c) => perClass[c] as number) };
  }
}
