import {
  createSegmentationModel,
  RegionRebalanceBranch,
  type SegmentationModel,
  type WeightMap,
} from '@ltlab/backbones';
import type { SegmentationRunConfig } from '@ltlab/config';
import { deriveSeed, LtlabError } from '@ltlab/core';
import type { NamedParameter } from '../optimizer.js';

/**
 * The network of a segmentation run: the registry's segmentation model (`model/` in checkpoints)
 * and, with Region Rebalance, its training-only branch (`region/`: frozen weights, BN running
 * statistics). Evaluation uses the model alone, as the original's inference does.
 */
export class SegmentationNetwork {
  readonly model: SegmentationModel;
  readonly branch: RegionRebalanceBranch | null;

  private constructor(model: SegmentationModel, branch: RegionRebalanceBranch | null) {
    this.model = model;
    this.branch = branch;
  }

  static build(
    config: SegmentationRunConfig,
    shape: { numClasses: number; inputChannels: number },
  ): SegmentationNetwork {
    const model = createSegmentationModel(config.model.name, {
      ...config.model.options,
      numClasses: shape.numClasses,
      inputChannels: shape.inputChannels,
      seed: deriveSeed(config.seed, 'model'),
    });
    const rr = config.loss.regionRebalance;
    let branch: RegionRebalanceBranch | null = null;
    try {
      branch =
        rr === undefined
          ? null
          : RegionRebalanceBranch.create({
              inChannels: model.featureChannels,
              numClasses: shape.numClasses,
              reducedChannels: rr.reducedChannels,
              hiddenChannels: rr.hiddenChannels,
              scale: rr.scale,
              seed: deriveSeed(config.seed, 'region-rebalance'),
            });
    } catch (error) {
      model.dispose();
      throw error;
    }
    return new SegmentationNetwork(model, branch);
  }

  /** What the optimizer updates: every model parameter (the branch is frozen). */
  trainableParameters(): NamedParameter[] {
    return this.model.namedParameters().map(([name, variable]) => [`model/${name}`, variable] as const);
  }

  /**
   * The trainable parameters of the weight-decay exemptions: `norm`, the scale and shift of every
   * normalisation layer (a layer that keeps running statistics); `bias`, every other bias.
   */
  exemptFromWeightDecay(exempt: ReadonlyArray<'norm' | 'bias'>): Set<string> {
    const normLayers = new Set(
      this.model
        .namedBuffers()
        .flatMap(([name]) => (name.endsWith('.running_mean') ? [name.slice(0, -'.running_mean'.length)] : [])),
    );
    const out = new Set<string>();
    for (const [name] of this.trainableParameters()) {
      const local = name.slice('model/'.length);
      const norm = normLayers.has(local.slice(0, local.lastIndexOf('.')));
      if ((norm && exempt.includes('norm')) || (!norm && local.endsWith('.bias') && exempt.includes('bias'))) {
        out.add(name);
      }
    }
    return out;
  }

  async exportWeights(): Promise<WeightMap> {
    const [model, branch] = await Promise.all([this.model.exportWeights(), this.branch?.exportWeights()]);
    const out: WeightMap = {};
    for (const [name, entry] of Object.entries(model)) out[`model/${name}`] = entry;
    for (const [name, entry] of Object.entries(branch ?? {})) out[`region/${name}`] = entry;
    return out;
  }

  /** Each module checks names and shapes (CONFIG.INVALID for another architecture) before it writes. */
  loadWeights(weights: WeightMap): void {
    const part = (prefix: string): WeightMap =>
      Object.fromEntries(
        Object.entries(weights)
          .filter(([name]) => name.startsWith(`${prefix}/`))
          .map(([name, entry]) => [name.slice(prefix.length + 1), entry]),
      );
    const region = part('region');
    if (this.branch === null && Object.keys(region).length > 0) {
      throw new LtlabError(
        'CONFIG.INVALID',
        'The checkpoint holds a Region Rebalance branch (region/*), which this run does not have.',
        { details: { reason: 'a Region Rebalance checkpoint for a run without the branch' } },
      );
    }
    this.model.loadWeights(part('model'));
    this.branch?.loadWeights(region);
  }

  dispose(): void {
    this.branch?.dispose();
    this.model.dispose();
  }
}
