import { closestName, unknownNameHint } from '@ltlab/core';
import type { z } from 'zod';

/**
 * The key structure of a zod schema, read without parsing: which keys an object knows, where a
 * value may hold anything (records, loose objects: component options), what a list holds.
 * A sweep checks its config paths and values with it before any run is expanded, so a typo is
 * reported at its place in the sweep file (`grid.optimizer.lrr`) and a base config missing a
 * field the grid supplies is not an error yet.
 */
type Schema = z.core.$ZodType;

interface SchemaDef {
  type: string;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  innerType?: Schema;
  in?: Schema;
  options?: readonly Schema[];
  element?: Schema;
  getter?: () => Schema;
  left?: Schema;
  right?: Schema;
  values?: readonly unknown[];
}

function defOf(schema: Schema): SchemaDef {
  return schema._zod.def as unknown as SchemaDef;
}

/** Schemas that only wrap another (defaults, optionals, refinements piped on). */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/** The concrete schemas a value at `schema` may match: wrappers removed, unions split. */
function alternatives(schema: Schema): Schema[] {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type) && def.innerType !== undefined) return alternatives(def.innerType);
  if (def.type === 'pipe' && def.in !== undefined) return alternatives(def.in);
  if (def.type === 'lazy' && def.getter !== undefined) return alternatives(def.getter());
  if (def.type === 'union' && def.options !== undefined) return def.options.flatMap(alternatives);
  if (def.type === 'intersection' && def.left !== undefined && def.right !== undefined) {
    return [...alternatives(def.left), ...alternatives(def.right)];
  }
  return [schema];
}

/** Holds keys nobody checks here: a record, a loose object, `unknown` (component options). */
function isOpen(schema: Schema): boolean {
  const def = defOf(schema);
  if (def.type === 'object') return def.catchall !== undefined && defOf(def.catchall).type !== 'never';
  return def.type === 'record' || def.type === 'unknown' || def.type === 'any' || def.type === 'custom';
}

function shapeOf(schema: Schema): Record<string, Schema> | undefined {
  const def = defOf(schema);
  return def.type === 'object' ? def.shape : undefined;
}

function keysOf(objects: readonly Schema[]): string[] {
  return [...new Set(objects.flatMap((object) => Object.keys(shapeOf(object) ?? {})))];
}

function childrenAt(objects: readonly Schema[], key: string): Schema[] {
  return objects.flatMap((object) => {
    const shape = shapeOf(object);
    return shape !== undefined && Object.hasOwn(shape, key) ? [shape[key] as Schema] : [];
  });
}

/** Where a dotted path leads: the schemas there (none: into open options), or why it leads nowhere. */
export type ResolvedPath = { ok: true; schemas: Schema[] } | { ok: false; problem: string };

/**
 * Follows a dotted config path (`optimizer.lr`, `method.options.temperature`) through `root`.
 * A path that enters open options is fine whatever follows; a key the object does not know, or a
 * path through a value or a list, is a problem naming the nearest known path.
 */
export function resolveConfigPath(root: Schema, path: string): ResolvedPath {
  const segments = path.split('.');
  let schemas = [root];
  for (const [index, segment] of segments.entries()) {
    const concrete = schemas.flatMap(alternatives);
    if (concrete.some(isOpen)) return { ok: true, schemas: [] };
    const parent = segments.slice(0, index).join('.');
    const objects = concrete.filter((schema) => shapeOf(schema) !== undefined);
    if (objects.length === 0) {
      const holds = concrete.some((schema) => defOf(schema).type === 'array') ? 'a list' : 'a single value';
      return { ok: false, problem: `'${parent}' holds ${holds}, not fields; set '${parent}' as a whole` };
    }
    const children = childrenAt(objects, segment);
    if (children.length === 0) {
      const known = keysOf(objects);
      const near = closestName(segment, known);
      const prefix = parent === '' ? '' : `${parent}.`;
      const hint =
        near !== undefined
          ? `; did you mean '${prefix}${near}'?`
          : `; ${parent === '' ? 'its fields are' : `'${parent}' has`} ${known.join(', ')}`;
      return { ok: false, problem: `the run config has no '${prefix}${segment}'${hint}` };
    }
    schemas = children;
  }
  return { ok: true, schemas };
}

/**
 * Every key of `value` that the schemas at its place do not know, as `<path>.<key>: unknown key;
 * did you mean ...?`. Options are narrowed by their literal tags (`type: cosine` picks the
 * cosine schedule); values of the wrong type are left to the schema's own parse.
 */
export function unknownKeysIn(schemas: readonly Schema[], value: unknown, path: string): string[] {
  if (schemas.length === 0) return [];
  const concrete = schemas.flatMap(alternatives);
  if (concrete.some(isOpen)) return [];
  if (Array.isArray(value)) {
    const elements = concrete.flatMap((schema) => {
      const def = defOf(schema);
      return def.type === 'array' && def.element !== undefined ? [def.element] : [];
    });
    return value.flatMap((item, index) => unknownKeysIn(elements, item, `${path}[${index}]`));
  }
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const objects = narrowByTags(
    concrete.filter((schema) => shapeOf(schema) !== undefined),
    record,
  );
  if (objects.length === 0) return [];
  const known = keysOf(objects);
  return Object.entries(record).flatMap(([key, child]) => {
    const children = childrenAt(objects, key);
    if (children.length === 0) return [`${path}.${key}: unknown key${unknownNameHint(key, known)}`];
    return unknownKeysIn(children, child, `${path}.${key}`);
  });
}

/** Of several object options, those whose literal fields (`type: 'cosine'`) accept the value's. */
function narrowByTags(objects: readonly Schema[], value: Record<string, unknown>): Schema[] {
  if (objects.length < 2) return [...objects];
  return objects.filter((object) =>
    Object.entries(shapeOf(object) ?? {}).every(([key, field]) => {
      if (!Object.hasOwn(value, key)) return true;
      const literals = alternatives(field);
      if (!literals.every((schema) => defOf(schema).type === 'literal')) return true;
      return literals.some((schema) => defOf(schema).values?.includes(value[key]) === true);
    }),
  );
}
