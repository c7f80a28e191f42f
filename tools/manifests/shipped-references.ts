import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { findImports } from '../layers/imports.js';

/** One place where shipped code needs another package. */
export interface PackageReference {
  /** `zod`, `@tensorflow/tfjs-core`: the package, without its subpath. */
  name: string;
  /** Relative to the project folder. */
  file: string;
  line: number;
}

/** The subset of package.json this file reads. */
export interface ShippedManifest {
  name?: string;
  files?: string[];
  bin?: string | Record<string, string>;
}

const SOURCE_FILE = /\.(ts|tsx|mts|cts)$/;
const SCRIPT_FILE = /\.(js|mjs|cjs)$/;
// Not shipped (specs, fixtures) or not source (generated Prisma client, built output).
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '__fixtures__', 'generated']);

/**
 * The files a project ships as code: its non-spec TypeScript under src/ (what tsconfig.lib.json
 * compiles into dist/), plus the scripts it ships as they are (bin targets, `files` entries that
 * are scripts, such as an install script).
 */
export function shippedFiles(projectDir: string, manifest: ShippedManifest): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (SOURCE_FILE.test(entry.name) && !/\.spec\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        found.push(relative(projectDir, full));
      }
    }
  };
  walk(join(projectDir, 'src'));
  const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
  const scripts = [...bins, ...(manifest.files ?? [])].map((path) => path.replace(/^\.\//, ''));
  for (const script of new Set(scripts)) {
    const full = join(projectDir, script);
    if (SCRIPT_FILE.test(script) && existsSync(full) && statSync(full).isFile()) found.push(script);
  }
  return found.sort();
}

/**
 * Every package that a project's shipped code refers to: imports of any kind (type-only ones too,
 * since the emitted .d.ts keeps them), `require`, and `require.resolve` / `import.meta.resolve`
 * of a literal (a package located on disk still has to be installed).
 */
export function shippedReferences(projectDir: string, manifest: ShippedManifest): PackageReference[] {
  const references: PackageReference[] = [];
  for (const file of shippedFiles(projectDir, manifest)) {
    const text = readFileSync(join(projectDir, file), 'utf8');
    const specifiers = [
      ...findImports(file, text).map(({ specifier, line }) => ({ specifier, line })),
      ...findResolves(file, text),
    ];
    for (const { specifier, line } of specifiers) {
      if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) continue;
      if (specifier.startsWith('data:') || specifier.startsWith('file:')) continue;
      const name = packageNameOf(specifier);
      if (name !== manifest.name) references.push({ name, file, line });
    }
  }
  return references;
}

/** `require.resolve('x')` and `import.meta.resolve('x')` with a literal argument. */
function findResolves(fileName: string, text: string): { specifier: string; line: number }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const sites: { specifier: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const { expression: target, name } = node.expression;
      const isResolve =
        name.text === 'resolve' &&
        ((ts.isIdentifier(target) && target.text === 'require') || ts.isMetaProperty(target));
      const [first] = node.arguments;
      if (isResolve && first !== undefined && ts.isStringLiteralLike(first)) {
        const line = source.getLineAndCharacterOfPosition(first.getStart(source)).line + 1;
        sites.push({ specifier: first.text, line });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}
