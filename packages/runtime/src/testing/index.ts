/**
 * `@ltlab/runtime/testing`: fixtures for tests and benchmarks, kept out of the package's main
 * entry so that training code never loads them. Reference models from raw tfjs-core ops (the
 * runtime may not import @ltlab/backbones), the cross-backend comparison helpers and the webgpu
 * registration the GPU suites skip on.
 */
export {
  lossAndGradients,
  onCpuAndWasm,
  relativeError,
  seededNormal,
} from './compare-backends.js';
export {
  type BatchNormMode,
  createCifarResNet,
  createMlp,
  createResNeXtBlockNet,
  type ReferenceModel,
  randomBatch,
  softmaxCrossEntropy,
} from './reference-models.js';
export { type ImportProbeResult, importWithoutTensorflow, LOADED_TENSORFLOW } from './tensorflow-import-probe.js';
export { valuesOn, webgpuForTests } from './webgpu-for-tests.js';
