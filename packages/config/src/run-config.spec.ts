import { LtlabError } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import {
  canonicalRunConfig,
  classificationConfigOf,
  parseRunConfig as parseAnyRunConfig,
  runConfigHash,
} from './run-config.js';

/** These specs are about the classification config: parsed and narrowed to it. */
const parseRunConfig = (input: unknown, what?: string) => classificationConfigOf(parseAnyRunConfig(input, what));

const minimal = {
  data: { source: 'fashion-mnist', longTail: { imbalanceFactor: 100, imgMax: 1000 } },
  backbone: { name: 'resnet8' },
  method: { loss: 'cross-entropy' },
  optimizer: { lr: 0.1 },
  epochs: 30,
  batchSize: 128,
};

describe('parseRunConfig', () => {
  it('fills defaults from the schemas', () => {
    const config = parseRunConfig(minimal);
    expect(config.seed).toBe(0);
    expect(config.optimizer).toEqual({
      name: 'sgd',
      lr: 0.1,
      momentum: 0.9,
      nesterov: false,
      weightDecay: 5e-4,
      weightDecayOnNormAndBias: true,
    });
    expect(config.data.longTail).toEqual({ profile: 'exp', imbalanceFactor: 100, imgMax: 1000, seed: 0 });
    // No seed: the trainer derives the sampler's seed from the run's seed, one per stage.
    expect(config.sampler).toEqual({ name: 'instance-balanced' });
    expect(config.schedule).toEqual({ type: 'warmup-cosine', warmupEpochs: 10 });
  });

  it('names the path of every bad field', () => {
    let error: unknown;
    try {
      parseRunConfig({ ...minimal, optimizer: { lr: -1 }, epochs: 0, data: { source: 'svhn' } }, 'run config x.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LtlabError);
    const message = (error as LtlabError).message;
    expect(message).toContain('x.yaml');
    expect(message).toContain('optimizer.lr');
    expect(message).toContain('epochs');
    expect(message).toContain('data.source');
  });

  it('validates transforms and samplers with their own schemas, at their paths', () => {
    const bad = {
      ...minimal,
      data: { ...minimal.data, transforms: { train: [{ name: 'randomCrop', size: -1 }], test: [{ name: 'nope' }] } },
      sampler: { name: 'class-balanced', seed: -3 },
    };
    let message = '';
    try {
      parseRunConfig(bad);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/data\.transforms\.train\[0\]\.size: .*>0/);
    expect(message).toMatch(/data\.transforms\.test\[0\]\.name: Unknown transform 'nope'/);
    expect(message).toMatch(/sampler\.seed: .*>=0/);
    expect(() => parseRunConfig({ ...minimal, sampler: { name: 'uniform' } })).toThrow(
      /sampler\.name: Unknown sampler 'uniform'/,
    );
  });

  it('holds out an optional validation split, naming the path of a bad one; without it, runs hash as before', () => {
    const validation = { perClass: 20 };
    expect(parseRunConfig({ ...minimal, data: { ...minimal.data, validation } }).data.validation).toEqual({
      perClass: 20,
      seed: 0,
    });
    expect(() => parseRunConfig({ ...minimal, data: { ...minimal.data, validation: { fraction: 2 } } })).toThrow(
      /data\.validation\.fraction/,
    );
    expect(() => parseRunConfig({ ...minimal, data: { ...minimal.data, validation: {} } })).toThrow(
      /data\.validation: set exactly one of perClass or fraction/,
    );
    // Absent, it adds nothing to the canonical config: existing run ids stay.
    expect(canonicalRunConfig(parseRunConfig(minimal))).not.toContain('validation');
  });

  it('rejects unknown keys in its own structure, naming the path and the nearest known key', () => {
    const typos = {
      ...minimal,
      optimiser: { lr: 0.5 },
      optimizer: { lr: 0.1, momentun: 0.5 },
      data: { ...minimal.data, transform: {} },
      method: { loss: 'ldam', drw: { startEpoch: 2, betta: 0.9 } },
      schedule: { type: 'warmup-cosine', warmupEpoch: 3 },
      checkpoint: { keepLst: 1 },
      stages: [{ name: 'crt', epochs: 1, freezeBackbon: true }],
    };
    let message = '';
    try {
      parseRunConfig(typos, 'run config x.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("optimiser: unknown key; did you mean 'optimizer'?");
    expect(message).toContain("optimizer.momentun: unknown key; did you mean 'momentum'?");
    expect(message).toContain("data.transform: unknown key; did you mean 'transforms'?");
    expect(message).toContain("method.drw.betta: unknown key; did you mean 'beta'?");
    expect(message).toContain("schedule.warmupEpoch: unknown key; did you mean 'warmupEpochs'?");
    expect(message).toContain("checkpoint.keepLst: unknown key; did you mean 'keepLast'?");
    expect(message).toContain("stages[0].freezeBackbon: unknown key; did you mean 'freezeBackbone'?");
  });

  it('carries component options parsed by their own schemas, defaults filled', () => {
    const config = parseRunConfig({
      ...minimal,
      method: {
        loss: 'reslt',
        options: { mediumTailRange: [3, 10], tailRange: [6, 10] },
        head: { afterConv1x1: true },
      },
      backbone: { name: 'resnet8', options: { classifier: 'cosine' } },
      sampler: { name: 'class-balanced', seed: 3 },
    });
    expect(config.method.options).toEqual({
      beta: 0.99,
      mediumTailRange: [3, 10],
      tailRange: [6, 10],
      fuseEpsilon: 0,
      branches: 3,
    });
    expect(config.method.head).toEqual({ afterConv1x1: true, trainable: true });
    expect(config.backbone.options).toEqual({ classifier: 'cosine', classifierInit: 'family', trainable: true });
    expect(config.sampler).toEqual({ name: 'class-balanced', seed: 3, samplesPerClass: 1 });
  });

  it('rejects a PaCo queue that is not a multiple of the batch', () => {
    const paco = { ...minimal, method: { loss: 'paco', momentumEncoder: { queueSize: 1000 } } };
    expect(() => parseRunConfig(paco)).toThrow(
      /method\.momentumEncoder\.queueSize: 1000 is not a multiple of batchSize 128/,
    );
    expect(
      parseRunConfig({ ...paco, method: { loss: 'paco', momentumEncoder: { queueSize: 1024 } } }).method.momentumEncoder
        ?.queueSize,
    ).toBe(1024);
  });

  it('takes an optional replica count that divides the batch, naming replicas.count when it does not', () => {
    expect(parseRunConfig({ ...minimal, replicas: { count: 4 } }).replicas).toEqual({ count: 4 });
    // Absent, nothing is filled: the canonical config (and so every existing run id) stays as it was.
    expect(parseRunConfig(minimal).replicas).toBeUndefined();
    expect(canonicalRunConfig(parseRunConfig(minimal))).not.toContain('replicas');
    expect(runConfigHash(parseRunConfig({ ...minimal, replicas: { count: 1 } }))).not.toBe(
      runConfigHash(parseRunConfig(minimal)),
    );
    expect(() => parseRunConfig({ ...minimal, replicas: { count: 3 } })).toThrow(
      /replicas\.count: 3 does not divide batchSize 128; .*pick a divisor of batchSize/,
    );
    expect(() => parseRunConfig({ ...minimal, replicas: { count: 0 } })).toThrow(/replicas\.count: .*>0/);
    expect(() => parseRunConfig({ ...minimal, replicas: { count: 2.5 } })).toThrow(/replicas\.count: .*int/i);
    expect(() => parseRunConfig({ ...minimal, replicas: { count: 256 } })).toThrow(
      /replicas\.count: 256 does not divide/,
    );
    expect(() => parseRunConfig({ ...minimal, replicas: { gpus: 4 } })).toThrow(/replicas/);
  });

  it('hashes equal configs equally, whatever the key order or spelled-out defaults', () => {
    const spelled = { ...minimal, seed: 0, optimizer: { momentum: 0.9, lr: 0.1 } };
    expect(runConfigHash(parseRunConfig(spelled))).toBe(runConfigHash(parseRunConfig(minimal)));
    expect(runConfigHash(parseRunConfig({ ...minimal, seed: 1 }))).not.toBe(runConfigHash(parseRunConfig(minimal)));
  });
});
