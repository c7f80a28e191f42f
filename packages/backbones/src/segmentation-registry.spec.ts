import { LtlabError } from '@ltlab/core';
import { initRuntime } from '@ltlab/runtime';
import { describe, expect, it } from 'vitest';
import { describeBackbone } from './registry.js';
import {
  createSegmentationModel,
  describeSegmentationModel,
  getSegmentationModelEntry,
  listSegmentationModels,
  segmentationModelRegistry,
} from './segmentation-registry.js';

describe('segmentation model registry', () => {
  it('registers FCN, DeepLabv3+ and UPerNet on the ImageNet ResNets by literal names', () => {
    const names = listSegmentationModels().map((e) => e.name);
    for (const head of ['fcn', 'deeplabv3plus', 'upernet']) {
      for (const trunk of ['resnet10', 'resnet18', 'resnet34', 'resnet50', 'resnet101']) {
        expect(names).toContain(`${head}-${trunk}`);
      }
    }
    for (const entry of segmentationModelRegistry.list()) {
      expect(entry.name).toBe(`${entry.head}-${entry.trunk}`);
      expect(entry.summary).toContain(`torchvision ${entry.trunk} trunk`);
    }
  });

  it('lets a run config set the model options but not what the trainer supplies', () => {
    const schema = segmentationModelRegistry.get('fcn-resnet18').schema;
    expect(schema.parse({ trunkWidth: 16 })).toMatchObject({ trunkWidth: 16, channels: 512, auxHead: true });
    expect(() => schema.parse({ numClasses: 3 })).toThrow(/numClasses/);
    expect(() => getSegmentationModelEntry('fcn-resnet81')).toThrow(
      "Unknown segmentation model 'fcn-resnet81'; did you mean 'fcn-resnet18'?",
    );
  });

  it('rejects unknown names (listing the known ones) and invalid options with the field', () => {
    const codeOf = (f: () => unknown): string => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(LtlabError);
        return `${(error as LtlabError).code}: ${(error as LtlabError).message}`;
      }
      return 'no error';
    };
    expect(codeOf(() => createSegmentationModel('pspnet-resnet50', { numClasses: 3 }))).toMatch(
      /^CONFIG.UNKNOWN_NAME.*deeplabv3plus-resnet50/,
    );
    expect(codeOf(() => describeSegmentationModel('fcn-resnet18', { numClasses: 3, outputStride: 4 as 8 }))).toMatch(
      /^CONFIG.INVALID.*outputStride/s,
    );
    expect(codeOf(() => describeSegmentationModel('fcn-resnet18', { numClasses: 3, chanels: 8 } as never))).toMatch(
      /^CONFIG.INVALID.*chanels/s,
    );
    expect(
      codeOf(() => describeSegmentationModel('deeplabv3plus-resnet18', { numClasses: 3, outputStride: 32 })),
    ).toMatch(/^CONFIG.INVALID.*output stride 8 or 16/);
    expect(codeOf(() => describeSegmentationModel('upernet-resnet18', { numClasses: 3, lowLevelChannels: 8 }))).toMatch(
      /^CONFIG.INVALID.*lowLevelChannels/,
    );
  });

  it('names tensors as mmsegmentation (backbone., decode_head., auxiliary_head.) and counts the FCN heads by hand', () => {
    const classes = 150;
    const { specs, parameterCount } = describeSegmentationModel('fcn-resnet50', { numClasses: classes });
    const prefixes = new Set(specs.map((spec) => spec.name.split('.')[0]));
    expect(prefixes).toEqual(new Set(['backbone', 'decode_head', 'auxiliary_head']));
    const trunk = describeBackbone('resnet50', { numClasses: 1000, inputShape: [224, 224, 3] }).parameterCount;
    const bn = (c: number) => 2 * c;
    // Decode: convs.0 2048->512, convs.1 512->512, conv_cat (2048+512)->512, all 3x3 + BN; conv_seg 512->150.
    const decode =
      2048 * 512 * 9 + bn(512) + 512 * 512 * 9 + bn(512) + 2560 * 512 * 9 + bn(512) + 512 * classes + classes;
    // Auxiliary: convs.0 1024->256 3x3 + BN on stage 3; conv_seg 256->150.
    const auxiliary = 1024 * 256 * 9 + bn(256) + 256 * classes + classes;
    expect(parameterCount).toBe(trunk - (2048 * 1000 + 1000) + decode + auxiliary);
    expect(specs.find((s) => s.name === 'decode_head.conv_seg.weight')?.init).toEqual({ kind: 'normal', std: 0.01 });
  });

  it('counts DeepLabv3+ by hand: ASPP 1x1 + three 3x3 + image pool, bottleneck, 48-channel low level, two decoder convs', () => {
    const { parameterCount } = describeSegmentationModel('deeplabv3plus-resnet18', { numClasses: 19, auxHead: false });
    const trunk = describeBackbone('resnet18', { numClasses: 1000, inputShape: [224, 224, 3] }).parameterCount;
    const bn = (c: number) => 2 * c;
    const aspp = 512 * 512 + bn(512) + 3 * (512 * 512 * 9 + bn(512)) + 512 * 512 + bn(512);
    const bottleneck = 5 * 512 * 512 * 9 + bn(512);
    const lowLevel = 64 * 48 + bn(48);
    const decoder = (512 + 48) * 512 * 9 + bn(512) + 512 * 512 * 9 + bn(512);
    const classifier = 512 * 19 + 19;
    expect(parameterCount).toBe(trunk - (512 * 1000 + 1000) + aspp + bottleneck + lowLevel + decoder + classifier);
  });

  it('defaults to output stride 8 for FCN and DeepLabv3+ and 32 for UPerNet, as the mmsegmentation configs', async () => {
    await initRuntime({ backend: 'cpu' });
    for (const [name, outputStride] of [
      ['fcn-resnet10', 8],
      ['deeplabv3plus-resnet10', 8],
      ['upernet-resnet10', 32],
    ] as const) {
      const model = createSegmentationModel(name, { numClasses: 3, trunkWidth: 4, channels: 4, auxChannels: 4 });
      expect(model.outputStride).toBe(outputStride);
      model.dispose();
    }
    expect(getSegmentationModelEntry('upernet-resnet50')).toMatchObject({ head: 'upernet', trunk: 'resnet50' });
  });
});
