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
// Kept on the main entry only for packages/train's specs (native-soak, webgpu-train), which
// another change moves to '@ltlab/runtime/testing'; everything else imports the testing subpath.
export { registerWasmTrainingKernels, type WasmKernelReport } from './wasm-kernels/register-wasm-training-kernels.js';
export type { WebgpuReport } from './webgpu/register-webgpu-backend.js';
export type { WebgpuAdapterSummary } from './webgpu/webgpu-adapter.js';
