import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const WIRE_ENTRY = fileURLToPath(new URL('./index.ts', import.meta.url));
const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm;

/** Every file the wire entry reaches through its imports and re-exports, type-only ones included. */
function reachable(entry: string): { files: string[]; outside: string[] } {
  const files = new Set<string>();
  const outside: string[] = [];
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (specifier === undefined) continue;
      if (specifier.startsWith('.')) visit(normalize(join(dirname(file), specifier.replace(/\.js$/, '.ts'))));
      else outside.push(`${file}: ${specifier}`);
    }
  };
  visit(entry);
  return { files: [...files], outside };
}

describe('@ltlab/store/wire', () => {
  it('reaches no package and no Node API, so the UI can import it without Prisma, zod or Node types', () => {
    const { files, outside } = reachable(WIRE_ENTRY);
    expect(outside).toEqual([]);
    // The records come from the store's own interface files: they must stay import-free too.
    expect(files.map((file) => file.slice(dirname(dirname(WIRE_ENTRY)).length + 1)).sort()).toEqual([
      'checkpoint-view.ts',
      'epoch-axis.ts',
      'run-store.ts',
      'rung-table.ts',
      'wire/column-filter.ts',
      'wire/column-grammar.ts',
      'wire/index.ts',
      'wire/records.ts',
      'wire/run-table.ts',
      'wire/wire-form.ts',
    ]);
  });
});
