import { LtlabError } from '@ltlab/core';

type JsonRecord = Record<string, unknown>;

/** A deep copy of `target` with `value` at the dotted `path`, creating objects on the way. */
export function withPath(target: JsonRecord, path: string, value: unknown): JsonRecord {
  const [head, ...rest] = path.split('.');
  if (head === undefined || head === '') throw new LtlabError('CONFIG.INVALID', `Empty config path '${path}'.`);
  const copy: JsonRecord = { ...target };
  if (rest.length === 0) {
    copy[head] = structuredClone(value);
    return copy;
  }
  const child = copy[head];
  if (child !== undefined && (typeof child !== 'object' || child === null || Array.isArray(child))) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `Cannot set '${path}': '${head}' holds ${JSON.stringify(child)}, not an object.`,
      {
        fix: `Vary '${head}' as a whole, or point the path at an object in the base config.`,
      },
    );
  }
  copy[head] = withPath((child as JsonRecord | undefined) ?? {}, rest.join('.'), value);
  return copy;
}

export function getPath(target: unknown, path: string): unknown {
  let node = target;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as JsonRecord)[key];
  }
  return node;
}
