/** `@ltlab/store/testing`: throwaway databases for tests and benchmarks. */
export { createTemporaryDatabase, type TemporaryDatabase, testPostgresUrl } from './temporary-database.js';
