export { type BackendChoice, backendChoiceFromEnv, backendChoiceSchema } from './backend-choice.js';
export type { BackendProbes } from './backend-probes.js';
export { batchNormTrain } from './batch-norm-train.js';
export { pinProcessToCore, processAffinity } from './cpu-pinning.js';
export {
  type BackendDiagnosis,
  type BackendReport,
  backendDiagnosisSchema,
  backendReportSchema,
  DIAGNOSED_BACKENDS,
  type DiagnosedBackend,
  diagnoseBackends,
  type WebgpuAdapterDiagnosis,
  webgpuAdapterDiagnosisSchema,
} from './diagnose-backends.js';
export { type InitRuntimeOptions, initRuntime, type RuntimeInfo } from './init-runtime.js';
export { assertNoTensorLeak, measureTensorLeak, type TensorLeak, tidyAsync } from './memory.js';
export { movingAverage } from './moving-average.js';
export { ensureGradientsRegistered } from './register-gradients.js';
export { type SgdUpdateInput, sgdUpdate } from './sgd-update.js';
export {
  type BatchNormMode,
  createCifarResNet,
  createMlp,
  createResNeXtBlockNet,
  type ReferenceModel,
  randomBatch,
  softmaxCrossEntropy,
} from './testing/reference-models.js';
export { valuesOn, webgpuForTests } from './testing/webgpu-for-tests.js';
export { registerWasmTrainingKernels, type WasmKernelReport } from './wasm-kernels/register-wasm-training-kernels.js';
export type { WebgpuReport } from './webgpu/register-webgpu-backend.js';
export type { WebgpuAdapterSummary } from './webgpu/webgpu-adapter.js';
