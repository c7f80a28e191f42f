import { z } from 'zod';

/** One option of a registry entry, as `ltlab list` prints it. */
export interface OptionDoc {
  readonly name: string;
  /** `number >= 0`, `'all' | 'one'`, `[integer, integer]`: what a config may write. */
  readonly type: string;
  /** Must be set: no default, not optional. */
  readonly required: boolean;
  /** The value used when the option is left out; absent when there is none. */
  readonly default?: unknown;
  readonly description?: string;
}

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/**
 * The options an object schema accepts, each with its type, default and whether it is required,
 * read from zod's JSON Schema of the input side (what a config writes). A schema that is not an
 * object (or cannot be represented) describes no options.
 */
export function describeOptions(schema: z.ZodType): OptionDoc[] {
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    // A schema zod cannot express as JSON Schema (a cycle) still parses; it only goes unlisted.
    return [];
  }
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    type: typeText(property),
    required: required.has(name) && property.default === undefined,
    ...(property.default === undefined ? {} : { default: property.default }),
    ...(property.description === undefined ? {} : { description: property.description }),
  }));
}

function typeText(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum !== undefined) return schema.enum.map((value) => quote(value)).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union !== undefined) return union.map(typeText).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  if (type === 'array') {
    if (schema.prefixItems !== undefined) return `[${schema.prefixItems.map(typeText).join(', ')}]`;
    return schema.items === undefined ? 'array' : `${wrap(typeText(schema.items))}[]`;
  }
  if (type === 'number' || type === 'integer') return `${type}${bounds(schema)}`;
  return type ?? 'any';
}

/** ` >= 0`, ` in [0, 1]`, ` > 0`; zod's safe-integer limits say nothing a reader needs. */
function bounds(schema: JsonSchema): string {
  const low = schema.exclusiveMinimum ?? schema.minimum;
  const high = schema.exclusiveMaximum ?? schema.maximum;
  const lowShown = low !== undefined && low > Number.MIN_SAFE_INTEGER;
  const highShown = high !== undefined && high < Number.MAX_SAFE_INTEGER;
  const lowInclusive = schema.exclusiveMinimum === undefined;
  const highInclusive = schema.exclusiveMaximum === undefined;
  if (lowShown && highShown) return ` in ${lowInclusive ? '[' : '('}${low}, ${high}${highInclusive ? ']' : ')'}`;
  if (lowShown) return ` ${lowInclusive ? '>=' : '>'} ${low}`;
  if (highShown) return ` ${highInclusive ? '<=' : '<'} ${high}`;
  return '';
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

function wrap(text: string): string {
  return text.includes(' ') ? `(${text})` : text;
}
