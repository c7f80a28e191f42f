import type { ParamDeclarer, ParamRef, ParamSpec } from './param-set.js';

/**
 * Declares into `params` with every name under `prefix.`: a segmentation model keeps its trunk as
 * `backbone.layer1.0.conv1.weight` and its heads as `decode_head.*` / `auxiliary_head.*`, the
 * names of mmsegmentation checkpoints, while the trunk builder still names its own tensors.
 */
export function scopeParams(params: ParamDeclarer, prefix: string): ParamDeclarer {
  return {
    declare: (spec: ParamSpec): ParamRef => params.declare({ ...spec, name: `${prefix}.${spec.name}` }),
  };
}
