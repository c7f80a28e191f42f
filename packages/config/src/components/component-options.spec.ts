import { isLtlabError, type ValidationIssue } from '@ltlab/core';
import { pacoOptionsSchema } from '@ltlab/losses/schema';
import { describe, expect, it } from 'vitest';
import { parseRunConfig, runConfigHash } from '../run-config.js';

const classification = {
  data: { source: 'fashion-mnist' },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.1 },
  epochs: 2,
  batchSize: 32,
};

const segmentation = {
  task: 'segmentation',
  data: { source: { name: 'fashion-mnist-seg-lt' } },
  model: { name: 'fcn-resnet10' },
  optimizer: { name: 'adamw', lr: 6e-5 },
  iterations: 200,
  batchSize: 8,
  evaluation: { everyIterations: 100 },
  checkpoint: { everyIterations: 100 },
};

/** The issues `parseRunConfig` reports for `input`, as `path: message` by path. */
function issuesOf(input: unknown): ValidationIssue[] {
  try {
    parseRunConfig(input);
  } catch (error) {
    if (isLtlabError(error) && error.code === 'CONFIG.INVALID') {
      return (error.details as { issues: ValidationIssue[] }).issues;
    }
    throw error;
  }
  throw new Error('expected CONFIG.INVALID');
}

/** Each kind of component with a bad name, a misspelt option or an out-of-range value, and where it must be reported. */
const CASES: Array<{ kind: string; input: unknown; path: string; message: RegExp }> = [
  {
    kind: 'loss',
    input: { ...classification, method: { loss: 'pac0' } },
    path: 'method.loss',
    message: /Unknown loss 'pac0'; did you mean 'paco'\? Known losses: cross-entropy, /,
  },
  {
    kind: 'loss option (misspelt)',
    input: { ...classification, method: { loss: 'paco', options: { temperatur: 0.1 } } },
    path: 'method.options.temperatur',
    message: /unknown key; did you mean 'temperature'\?/,
  },
  {
    kind: 'loss option (out of range)',
    input: { ...classification, method: { loss: 'paco', options: { temperature: -1 } } },
    path: 'method.options.temperature',
    message: /expected number to be >0/,
  },
  {
    kind: 'backbone',
    input: { ...classification, backbone: { name: 'resnet9' } },
    path: 'backbone.name',
    message: /Unknown backbone 'resnet9'; did you mean/,
  },
  {
    kind: 'backbone option',
    input: { ...classification, backbone: { name: 'resnet8', options: { clasifier: 'cosine' } } },
    path: 'backbone.options.clasifier',
    message: /did you mean 'classifier'\?/,
  },
  {
    kind: 'head option',
    input: {
      ...classification,
      method: { loss: 'reslt', options: { mediumTailRange: [3, 10], tailRange: [6, 10] }, head: { afterConv1x1: 1 } },
    },
    path: 'method.head.afterConv1x1',
    message: /expected boolean/,
  },
  {
    kind: 'head on a loss without branches',
    input: { ...classification, method: { loss: 'focal', head: { afterConv1x1: true } } },
    path: 'method.head',
    message: /loss 'focal' reads no branch logits/,
  },
  {
    kind: 'sampler',
    input: { ...classification, sampler: { name: 'clas-balanced' } },
    path: 'sampler.name',
    message: /Unknown sampler 'clas-balanced'; did you mean 'class-balanced'\?/,
  },
  {
    kind: 'sampler option',
    input: { ...classification, sampler: { name: 'class-balanced', samplesPerClass: 0 } },
    path: 'sampler.samplesPerClass',
    message: /expected number to be >0/,
  },
  {
    kind: 'transform',
    input: { ...classification, data: { source: 'fashion-mnist', transforms: { train: [{ name: 'randomCrp' }] } } },
    path: 'data.transforms.train[0].name',
    message: /Unknown transform 'randomCrp'; did you mean 'randomCrop'\?/,
  },
  {
    kind: 'transform option (in a view)',
    input: {
      ...classification,
      data: {
        source: 'fashion-mnist',
        transforms: { train: { views: [[{ name: 'randomCrop', size: 28, paddng: 3 }]] } },
      },
    },
    path: 'data.transforms.train.views[0][0].paddng',
    message: /did you mean 'padding'\?/,
  },
  {
    kind: 'segmentation model',
    input: { ...segmentation, model: { name: 'fcn-resnet9' } },
    path: 'model.name',
    message: /Unknown segmentation model 'fcn-resnet9'/,
  },
  {
    kind: 'segmentation model option',
    input: { ...segmentation, model: { name: 'fcn-resnet10', options: { trunkWidht: 16 } } },
    path: 'model.options.trunkWidht',
    message: /did you mean 'trunkWidth'\?/,
  },
  {
    kind: 'segmentation transform',
    input: { ...segmentation, data: { ...segmentation.data, transforms: { train: [{ name: 'randomFlp' }] } } },
    path: 'data.transforms.train[0].name',
    message: /Unknown segmentation transform 'randomFlp'/,
  },
  {
    kind: 'stage method',
    input: { ...classification, stages: [{ name: 'crt', epochs: 1, method: { loss: 'ce' } }] },
    path: 'stages[0].method.loss',
    message: /Unknown loss 'ce'/,
  },
  {
    kind: 'stage method option',
    input: { ...classification, stages: [{ name: 'drw', epochs: 1, method: { loss: 'ldam', options: { maxM: 0 } } }] },
    path: 'stages[0].method.options.maxM',
    message: /expected number to be >0/,
  },
  {
    kind: 'stage sampler',
    input: { ...classification, stages: [{ name: 'crt', epochs: 1, sampler: { name: 'balanced' } }] },
    path: 'stages[0].sampler.name',
    message: /Unknown sampler 'balanced'/,
  },
];

describe('component names and options are parsed at the edge', () => {
  for (const { kind, input, path, message } of CASES) {
    it(`reports a bad ${kind} at ${path}`, () => {
      const issues = issuesOf(input);
      expect(issues.map((issue) => issue.path)).toEqual([path]);
      expect(issues[0]?.message).toMatch(message);
    });
  }

  it('gives PaCo with its options left out and with every default written out one fingerprint', () => {
    const defaults = pacoOptionsSchema.parse({});
    expect(Object.keys(defaults).length).toBeGreaterThan(0);
    const left = parseRunConfig({ ...classification, method: { loss: 'paco', options: {} } });
    const written = parseRunConfig({ ...classification, method: { loss: 'paco', options: defaults } });
    expect(left).toEqual(written);
    expect(runConfigHash(left)).toBe(runConfigHash(written));
    expect(left.task === 'segmentation' ? undefined : left.method.options).toEqual(defaults);
    const other = parseRunConfig({ ...classification, method: { loss: 'paco', options: { temperature: 0.1 } } });
    expect(runConfigHash(other)).not.toBe(runConfigHash(left));
  });

  it('fills the defaults of the default sampler and of transform steps like written ones', () => {
    const left = parseRunConfig({
      ...classification,
      data: { source: 'fashion-mnist', transforms: { train: [{ name: 'horizontalFlip' }] } },
    });
    const written = parseRunConfig({
      ...classification,
      sampler: { name: 'instance-balanced' },
      data: { source: 'fashion-mnist', transforms: { train: [{ name: 'horizontalFlip', p: 0.5 }] } },
    });
    expect(runConfigHash(left)).toBe(runConfigHash(written));
  });

  it("leaves a sampler's seed out unless written: absent, the trainer derives it from the run's seed", () => {
    const derived = parseRunConfig({ ...classification, sampler: { name: 'class-balanced' } });
    const pinned = parseRunConfig({ ...classification, sampler: { name: 'class-balanced', seed: 0 } });
    expect(derived.task === undefined && derived.sampler).toEqual({ name: 'class-balanced', samplesPerClass: 1 });
    expect(pinned.task === undefined && pinned.sampler).toEqual({
      name: 'class-balanced',
      seed: 0,
      samplesPerClass: 1,
    });
    expect(runConfigHash(derived)).not.toBe(runConfigHash(pinned));
  });
});
