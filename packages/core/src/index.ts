export { BACKEND_CHOICES, type BackendName } from './backend-names.js';
export { canonicalHash, canonicalJson } from './canonical-json.js';
export {
  defineRegistry,
  type Registry,
  type RegistryEntry,
  type RegistryKind,
  unknownNameError,
} from './define-registry.js';
export { describeOptions, type OptionDoc } from './describe-options.js';
export { closestName, unknownNameHint } from './did-you-mean.js';
export { ERROR_CODES, type ErrorCode, isErrorCode } from './error-codes.js';
export {
  isLtlabError,
  LtlabError,
  type LtlabErrorOptions,
  type SerializedLtlabError,
  toLtlabError,
} from './ltlab-error.js';
export { redactUrl, redactUrlsIn } from './redact-url.js';
export { deriveSeed, Rng, type RngState, rngFromWords, rngStateSchema, type Seed } from './rng.js';
export { formatIssuePath, issuesOf, type KnownKeys, parseOrThrow, type ValidationIssue } from './validation.js';
