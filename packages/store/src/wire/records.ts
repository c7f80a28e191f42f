/**
 * The records the store keeps and the dashboard shows. They are defined beside the store's
 * interface (run-store.ts, checkpoint-view.ts, epoch-axis.ts import nothing outside the store's
 * own Prisma-free files); this file is their one door for code that must not load the store.
 */
export type { CheckpointFile, CheckpointView } from '../checkpoint-view.js';
export type { EpochAxis } from '../epoch-axis.js';
export type * from '../run-store.js';
export { RUN_STATUSES } from '../run-store.js';
export type * from '../rung-table.js';
