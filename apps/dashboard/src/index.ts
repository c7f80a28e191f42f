// Moved to @ltlab/store (the CLI's `runs compare` uses it too); re-exported for existing importers.
export { type ConfigDifference, configDiff } from '@ltlab/store';
export { checkBinding } from './access.js';
export type { DashboardStore } from './api.js';
export type { ArtifactBackend, ArtifactFile, ArtifactServiceOptions } from './artifact-routes.js';
export { correlationRatio, type ParameterImportance, parameterImportance } from './importance.js';
export { type HostHeader, isLoopback, parseHostHeader } from './loopback.js';
export { type DashboardHandle, type DashboardOptions, type QueueControl, startDashboard } from './server.js';
