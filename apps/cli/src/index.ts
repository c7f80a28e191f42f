export { EXIT, exitCodeFor } from './exit-codes.js';
export { formatTable } from './output.js';
