import { describe, expect, it } from 'vitest';
import { createBatchNorm } from './batch-norm.js';
import { scopeParams } from './param-scope.js';
import { ParamSet } from './param-set.js';

describe('scopeParams', () => {
  it('declares into the underlying set under prefix., nesting', () => {
    const params = new ParamSet();
    createBatchNorm(scopeParams(scopeParams(params, 'decode_head'), 'bottleneck'), 'bn', 2);
    expect(params.specs.map((s) => s.name)).toEqual([
      'decode_head.bottleneck.bn.weight',
      'decode_head.bottleneck.bn.bias',
      'decode_head.bottleneck.bn.running_mean',
      'decode_head.bottleneck.bn.running_var',
    ]);
  });
});
