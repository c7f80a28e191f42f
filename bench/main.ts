import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm run bench -- <name> [args]` runs bench/<name>.ts; with no name it lists them.
const benchDir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith('.ts') && file !== 'main.ts')
  .map((file) => basename(file, '.ts'))
  .sort();
const [name, ...rest] = process.argv.slice(2);
if (name === undefined || !available.includes(name)) {
  if (name !== undefined) console.error(`Unknown benchmark '${name}'.`);
  console.error(`Usage: npm run bench -- <name> [args]\nBenchmarks: ${available.join(', ') || '(none yet)'}`);
  process.exit(name === undefined ? 0 : 2);
}
process.argv = [process.argv[0] ?? 'node', `${benchDir}${name}.ts`, ...rest];
await import(`./${name}.ts`);
