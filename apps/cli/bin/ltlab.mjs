#!/usr/bin/env node
// The `ltlab` command. A built install runs dist/. A source checkout runs the TypeScript in this
// same process: tsx compiles it, and a resolve hook adds the workspace's `@ltlab/source` export
// condition (so signals reach the command itself, with no wrapper process in between).
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/main.js', import.meta.url);
if (existsSync(fileURLToPath(dist))) {
  await import(dist.href);
} else {
  const hook = `export async function resolve(specifier, context, next) {
    return next(specifier, { ...context, conditions: [...context.conditions, '@ltlab/source'] });
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  await import(new URL('../src/main.ts', import.meta.url).href);
}
