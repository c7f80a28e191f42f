import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayers } from './check.js';

// Usage: tsx tools/layers/main.ts [workspace-root]
const root = resolve(process.argv[2] ?? fileURLToPath(new URL('../..', import.meta.url)));
const violations = checkLayers(root);
for (const v of violations) console.error(`${v.file}:${v.line}  [${v.rule}]  ${v.message}`);
if (violations.length > 0) {
  console.error(`\nLayer check failed: ${violations.length} violation(s). The rules are in tools/layers/rules.ts.`);
  process.exit(1);
}
console.log('Layer check passed: every import follows docs/architecture.md §2.');
