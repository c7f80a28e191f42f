import { describe, expect, it } from 'vitest';
import { lossRegistry } from '../registry.js';
import { lossSchemaRegistry } from './registry.js';

describe('lossSchemaRegistry', () => {
  it('is the TF.js registry as data: same names, order, schemas, summaries and requirements', () => {
    expect(lossSchemaRegistry.names()).toEqual(lossRegistry.names());
    for (const loss of lossRegistry.list()) {
      const entry = lossSchemaRegistry.get(loss.name);
      expect(loss.schema).toBe(entry.schema);
      expect(loss.summary).toBe(entry.summary);
      expect(loss.requires).toEqual(entry.requires);
    }
  });

  it('fills defaults and rejects a misspelt option', () => {
    expect(lossSchemaRegistry.get('paco').schema.parse({})).toMatchObject({ temperature: 0.2, alpha: 0.05 });
    expect(lossSchemaRegistry.get('paco').schema.safeParse({ temperatur: 0.1 }).success).toBe(false);
  });
});
