export { type BackendChoice, backendChoiceFromEnv, backendChoiceSchema } from './backend-choice.js';
export { type InitRuntimeOptions, initRuntime, type RuntimeInfo } from './init-runtime.js';
