export { GOLDEN_DIR, goldenNames, readGolden } from './golden.js';
