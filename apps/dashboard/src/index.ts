export { checkBinding, isLoopback } from './access.js';
export type { DashboardStore } from './api.js';
export { type ConfigDifference, configDiff } from './config-diff.js';
export { correlationRatio, type ParameterImportance, parameterImportance } from './importance.js';
export { type DashboardHandle, type DashboardOptions, type QueueControl, startDashboard } from './server.js';
